using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>An OCI runtime in <c>/info</c>'s Runtimes.</summary>
public sealed class RuntimeInfo
{
    [JsonPropertyName("path")]
    public string Path { get; set; } = "";

    [JsonPropertyName("runtimeArgs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? RuntimeArgs { get; set; }
}
