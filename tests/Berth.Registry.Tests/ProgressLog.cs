namespace Berth.Registry.Tests;

/// <summary>Records progress messages synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
public sealed class ProgressLog : IProgress<RegistryProgress>
{
    private readonly List<RegistryProgress> _messages = [];

    public List<string> Statuses
    {
        get
        {
            lock (_messages)
                return _messages.Select(m => m.Status).ToList();
        }
    }

    public List<RegistryProgress> Messages
    {
        get
        {
            lock (_messages)
                return [.. _messages];
        }
    }

    public void Report(RegistryProgress value)
    {
        lock (_messages)
            _messages.Add(value);
    }
}
