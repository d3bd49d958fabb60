using System.Text.Json.Serialization;

namespace Berth.Engine.Images;

/// <summary>
/// repositories.json in Docker's layout: repository (familiar name) → reference (familiar form,
/// <c>busybox:latest</c> or <c>busybox@sha256:…</c>) → image id.
/// </summary>
internal sealed class RepositoriesFile
{
    [JsonPropertyName("Repositories")]
    public SortedDictionary<string, SortedDictionary<string, string>> Repositories { get; init; } = new(StringComparer.Ordinal);
}
