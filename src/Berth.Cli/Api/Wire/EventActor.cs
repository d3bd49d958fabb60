namespace Berth.Cli.Api.Wire;

/// <summary>The object an event is about: its id and attributes (name, image, exitCode, labels…).</summary>
public sealed class EventActor
{
    public string ID { get; set; } = "";

    public Dictionary<string, string>? Attributes { get; set; }
}
