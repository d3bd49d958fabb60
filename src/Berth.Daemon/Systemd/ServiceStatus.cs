using Berth.Engine;
using Berth.Engine.Events;

namespace Berth.Daemon.Systemd;

/// <summary>
/// Keeps systemd's STATUS= (what `systemctl status berthd` shows) to the containers' count, updated on the container
/// events that change it. Runs only under systemd: it costs one event subscription and no timer.
/// </summary>
public sealed class ServiceStatus(ContainerEngine engine, SystemdNotifier notifier) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private EventSubscription? _subscription;

    public string Text()
    {
        var containers = engine.Containers.List();
        int running = containers.Count(c => c.State.Running);
        return $"{running} containers running, {containers.Count - running} stopped";
    }

    public void Start()
    {
        if (!notifier.Enabled)
            return;
        _subscription = engine.Events.Subscribe();
        _ = RunAsync(_subscription, _stop.Token);
    }

    private async Task RunAsync(EventSubscription subscription, CancellationToken ct)
    {
        try
        {
            await foreach (var e in subscription.Reader.ReadAllAsync(ct))
                if (e.Type == "container" && e.Action is "create" or "start" or "die" or "destroy" or "pause" or "unpause")
                    notifier.Notify("STATUS=" + Text());
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _subscription?.Dispose();
        _stop.Dispose();
    }
}
