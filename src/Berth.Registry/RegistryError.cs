using System.Text.Json.Serialization;

namespace Berth.Registry;

/// <summary>One entry of a registry's error body.</summary>
internal sealed class RegistryError
{
    [JsonPropertyName("code")]
    public string? Code { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}
