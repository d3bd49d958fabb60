using System.Text.Json.Serialization;

namespace Berth.Cli.Api.Wire;

/// <summary>One object of the <c>GET /events</c> stream (moby events.Message), with the legacy status, id and from.</summary>
public sealed class EventMessage
{
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("from")]
    public string? From { get; set; }

    public string Type { get; set; } = "";

    public string Action { get; set; } = "";

    public EventActor Actor { get; set; } = new();

    [JsonPropertyName("scope")]
    public string? Scope { get; set; }

    [JsonPropertyName("time")]
    public long Time { get; set; }

    [JsonPropertyName("timeNano")]
    public long TimeNano { get; set; }
}
