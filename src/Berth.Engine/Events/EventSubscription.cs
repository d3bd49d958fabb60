using System.Threading.Channels;

namespace Berth.Engine.Events;

/// <summary>A subscriber's queue of events; disposing it unsubscribes.</summary>
public sealed class EventSubscription(ChannelReader<EngineEvent> reader, Action unsubscribe) : IDisposable
{
    public ChannelReader<EngineEvent> Reader { get; } = reader;

    public void Dispose() => unsubscribe();
}
