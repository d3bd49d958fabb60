namespace Berth.Daemon.Api;

/// <summary>
/// The attach connections waiting on each container. When a start fails there is no run for them to follow:
/// <see cref="EndPending"/> ends them, as moby closes the attach stream (the error itself goes to /start).
/// </summary>
public sealed class AttachSessions
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<CancellationTokenSource>> _sessions = [];

    public IDisposable Register(string containerId, CancellationTokenSource session)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(containerId, out var list))
                _sessions[containerId] = list = [];
            list.Add(session);
        }
        return new Registration(this, containerId, session);
    }

    public void EndPending(string containerId)
    {
        List<CancellationTokenSource> sessions;
        lock (_gate)
            sessions = _sessions.TryGetValue(containerId, out var list) ? [.. list] : [];
        foreach (var session in sessions)
        {
            try
            {
                session.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private void Unregister(string containerId, CancellationTokenSource session)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(containerId, out var list))
                return;
            list.Remove(session);
            if (list.Count == 0)
                _sessions.Remove(containerId);
        }
    }

    private sealed class Registration(AttachSessions owner, string containerId, CancellationTokenSource session) : IDisposable
    {
        public void Dispose() => owner.Unregister(containerId, session);
    }
}
