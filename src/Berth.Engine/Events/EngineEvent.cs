namespace Berth.Engine.Events;

/// <summary>
/// Something that happened to a container or image, in the shape of Docker's events:
/// Type "container" or "image", an Action ("create", "start", "die", ...), the actor's id and attributes
/// (name, image, exitCode, ...), and the time in nanoseconds since the epoch.
/// </summary>
public sealed record EngineEvent(string Type, string Action, string ActorId, IReadOnlyDictionary<string, string> Attributes, long TimeNano)
{
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(TimeNano / 1_000_000);
}
