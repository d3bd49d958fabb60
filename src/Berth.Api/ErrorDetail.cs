using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>An error inside a JSON message stream.</summary>
public sealed class ErrorDetail
{
    [JsonPropertyName("code")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Code { get; set; }

    [JsonPropertyName("message")]
    public string Message { get; set; } = "";
}
