using System.Text.Json;
using Berth.Api;
using Berth.Http;

namespace Berth.Daemon.Api;

/// <summary>Writes a JSON message stream (one message per line) as the body of a 200 application/json response.</summary>
public sealed class JsonMessageWriter(HttpResponse response)
{
    public async Task WriteAsync(JsonMessage message, CancellationToken ct)
    {
        await StartAsync(ct);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(message, ApiJsonContext.Default.JsonMessage);
        await response.Body.WriteAsync(json.Append((byte)'\n').ToArray(), ct);
    }

    /// <summary>Sends the head if no message did (an empty stream).</summary>
    public Task EndAsync(CancellationToken ct) => StartAsync(ct);

    private async Task StartAsync(CancellationToken ct)
    {
        if (response.HasStarted)
            return;
        response.StatusCode = 200;
        response.Headers.Set("Content-Type", "application/json");
        await response.StartAsync(ct);
    }
}
