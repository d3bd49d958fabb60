using System.Threading.Channels;

namespace Berth.Engine.Events;

/// <summary>
/// The engine's event stream (`docker events`): publishers never wait, each subscriber gets its own bounded
/// queue (a subscriber that falls too far behind loses its oldest events, never blocks the engine), and the
/// most recent events are kept so a subscriber can ask for events since a past time.
/// </summary>
public sealed class EngineEvents
{
    private const int History = 1024;
    private const int SubscriberQueue = 4096;

    private readonly Lock _gate = new();
    private readonly Queue<EngineEvent> _recent = new();
    private readonly List<Channel<EngineEvent>> _subscribers = [];
    private long _lastTime;

    public void Publish(string type, string action, string actorId, IReadOnlyDictionary<string, string> attributes)
    {
        lock (_gate)
        {
            // Strictly increasing times keep the order of events that happen within one clock tick.
            long now = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
            _lastTime = Math.Max(now, _lastTime + 1);
            var e = new EngineEvent(type, action, actorId, attributes, _lastTime);
            _recent.Enqueue(e);
            if (_recent.Count > History)
                _recent.Dequeue();
            foreach (var subscriber in _subscribers)
                subscriber.Writer.TryWrite(e);
        }
    }

    /// <summary>
    /// Events from <paramref name="since"/> (past events still kept) and every later one, until the subscription is disposed.
    /// </summary>
    public EventSubscription Subscribe(DateTimeOffset? since = null)
    {
        var channel = Channel.CreateBounded<EngineEvent>(new BoundedChannelOptions(SubscriberQueue)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            if (since is { } from)
            {
                long fromNano = from.ToUnixTimeMilliseconds() * 1_000_000;
                foreach (var e in _recent.Where(e => e.TimeNano >= fromNano))
                    channel.Writer.TryWrite(e);
            }
            _subscribers.Add(channel);
        }
        return new EventSubscription(channel.Reader, () =>
        {
            lock (_gate)
                _subscribers.Remove(channel);
            channel.Writer.TryComplete();
        });
    }
}
