using System.Text;
using Berth.Engine.Logs;

namespace Berth.Integration.Tests.Infrastructure;

/// <summary>An attached client for tests: collects output and lets a test wait for some text or the end.</summary>
public sealed class CollectingSink : IOutputSink
{
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Stdout
    {
        get
        {
            lock (_stdout)
                return _stdout.ToString();
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stdout)
                return _stderr.ToString();
        }
    }

    public Task Completed => _completed.Task;

    public void Write(LogStream stream, ReadOnlySpan<byte> data)
    {
        TaskCompletionSource changed;
        lock (_stdout)
        {
            (stream == LogStream.Stderr ? _stderr : _stdout).Append(Encoding.UTF8.GetString(data));
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    public void Complete() => _completed.TrySetResult();

    /// <summary>Waits until stdout contains <paramref name="text"/> (at most <paramref name="timeout"/>).</summary>
    public async Task WaitForAsync(string text, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            Task changed;
            lock (_stdout)
            {
                if (_stdout.ToString().Contains(text, StringComparison.Ordinal))
                    return;
                changed = _changed.Task;
            }
            await changed.WaitAsync(cancel.Token);
        }
    }
}
