using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>Every error answer: <c>{"message": "..."}</c> with the status code (the CLI prints "Error response from daemon: message").</summary>
public sealed class ErrorResponse
{
    [JsonPropertyName("message")]
    public string Message { get; set; } = "";
}
