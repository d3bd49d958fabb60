using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Registry;

/// <summary>Source-generated JSON for NativeAOT: manifests, token answers, error bodies.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ManifestDocument))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(RegistryErrors))]
[JsonSerializable(typeof(TagList))]
[JsonSerializable(typeof(RepositoryCatalog))]
[JsonSerializable(typeof(SearchResponse))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext
{
    /// <summary>Parses registry JSON; malformed input is the registry's fault, reported as such.</summary>
    public static T Parse<T>(ReadOnlySpan<byte> json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new RegistryException(RegistryErrorKind.Unavailable, $"the registry sent an invalid {what}: {e.Message}", e);
        }
    }
}
