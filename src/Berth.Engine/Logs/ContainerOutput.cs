using Berth.Engine.Io;
using Berth.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Logs;

/// <summary>
/// Reads a container's stdout and stderr pipes as they become readable (on the <see cref="EpollLoop"/>),
/// writes every byte to the container's log and hands it to attached sinks. The container never waits
/// for a reader: the pipes are drained whether or not anyone is attached.
/// </summary>
public sealed class ContainerOutput : IDisposable
{
    private readonly EpollLoop _loop;
    private readonly LogFileWriter? _log;
    private readonly List<IOutputSink> _sinks = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _openStreams;

    /// <param name="logPath">The log file to write, or null for output that is not logged (an exec's).</param>
    /// <param name="settings">The log driver and its rotation; the `none` driver writes nothing.</param>
    public ContainerOutput(EpollLoop loop, string? logPath, LogSettings? settings = null)
    {
        _loop = loop;
        _log = logPath is null || settings?.Driver == LogSettings.None ? null : new LogFileWriter(logPath, settings);
    }

    /// <summary>Completes when every added stream has reached end of file and the log is flushed.</summary>
    public Task Completion => _completion.Task;

    public void AddStream(LogStream stream, SafeFileHandle readEnd)
    {
        Sys.SetNonBlocking(readEnd);
        Interlocked.Increment(ref _openStreams);
        _loop.Add(readEnd, (registration, _) => Drain(stream, readEnd, registration));
    }

    public void Subscribe(IOutputSink sink)
    {
        lock (_gate)
        {
            if (_completion.Task.IsCompleted)
                sink.Complete();
            else
                _sinks.Add(sink);
        }
    }

    public void Unsubscribe(IOutputSink sink)
    {
        lock (_gate)
            _sinks.Remove(sink);
    }

    private void Drain(LogStream stream, SafeFileHandle handle, long registration)
    {
        while (true)
        {
            int n = Sys.ReadNonBlocking(handle, _buffer);
            if (n < 0)
                break;
            if (n == 0)
            {
                EndOfStream(stream, handle, registration);
                return;
            }
            var data = _buffer.AsSpan(0, n);
            _log?.Write(stream, data, DateTime.UtcNow);
            lock (_gate)
                foreach (var sink in _sinks)
                    sink.Write(stream, data);
        }
        _log?.Flush();
    }

    private void EndOfStream(LogStream stream, SafeFileHandle handle, long registration)
    {
        _loop.Remove(registration);
        handle.Dispose();
        _log?.Complete(stream, DateTime.UtcNow);
        _log?.Flush();
        if (Interlocked.Decrement(ref _openStreams) > 0)
            return;
        lock (_gate)
        {
            foreach (var sink in _sinks)
                sink.Complete();
            _sinks.Clear();
            _completion.TrySetResult();
        }
    }

    public void Dispose() => _log?.Dispose();
}
