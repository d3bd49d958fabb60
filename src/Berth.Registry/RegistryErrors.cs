using System.Text.Json.Serialization;

namespace Berth.Registry;

/// <summary>A registry's error body: <c>{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}</c>.</summary>
internal sealed class RegistryErrors
{
    [JsonPropertyName("errors")]
    public List<RegistryError>? Errors { get; set; }

    /// <summary>Docker's rendering: <c>code: message</c> per error, lowercase code, joined.</summary>
    public override string ToString() =>
        string.Join(", ", (Errors ?? []).Select(e => $"{e.Code?.ToLowerInvariant().Replace('_', ' ')}: {e.Message}"));
}
