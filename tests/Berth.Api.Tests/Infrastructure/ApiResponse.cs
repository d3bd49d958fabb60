using System.Text;
using System.Text.Json;
using Berth.Http;

namespace Berth.Api.Tests.Infrastructure;

/// <summary>A complete API answer: status, headers, body, and the body as JSON.</summary>
public sealed class ApiResponse(int status, HttpHeaders headers, byte[] body)
{
    public int Status { get; } = status;

    public HttpHeaders Headers { get; } = headers;

    public byte[] Body { get; } = body;

    public string Text => Encoding.UTF8.GetString(Body);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The "message" of an error body.</summary>
    public string Message => Json.GetProperty("message").GetString() ?? "";

    public override string ToString() => $"{Status} {Text}";
}
