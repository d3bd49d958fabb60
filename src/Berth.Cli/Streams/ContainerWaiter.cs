using System.Text.Json;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Output;
using Berth.Http;

namespace Berth.Cli.Streams;

/// <summary>
/// docker/cli waitExitOrRemoved: POST /containers/{id}/wait?condition=… returns once the daemon has sent its
/// headers (it flushes them at once), so that <c>start</c> can follow; the returned task then yields the exit
/// code from the body, or 125 when waiting failed (the error is printed, as docker logs it).
/// </summary>
internal static class ContainerWaiter
{
    public static async Task<Task<int>> BeginAsync(DaemonClient client, string id, string condition, CliConsole console, CancellationToken cancellationToken)
    {
        HttpClientResponse response;
        try
        {
            var request = new HttpClientRequest("POST", client.Versioned($"/containers/{QueryString.EscapePath(id)}/wait{new QueryString().Set("condition", condition)}"));
            response = await client.SendAsync(request, cancellationToken);
            await DaemonClient.ThrowIfErrorAsync(response, cancellationToken);
        }
        catch (Exception e) when (e is DaemonErrorException or IOException)
        {
            return Failed(console, e.Message);
        }
        return ReadStatusAsync(response, console, cancellationToken);
    }

    private static async Task<int> ReadStatusAsync(HttpClientResponse response, CliConsole console, CancellationToken cancellationToken)
    {
        using (response)
        {
            byte[] body;
            try
            {
                body = await response.ReadAsBytesAsync(cancellationToken);
            }
            catch (IOException e)
            {
                return await Failed(console, e.Message);
            }
            try
            {
                var result = JsonSerializer.Deserialize(body, ApiJsonContext.Default.ContainerWaitResponse);
                if (result is null)
                    return await Failed(console, "empty answer");
                if (result.Error is { Message.Length: > 0 } error)
                {
                    await console.Err.WriteLineAsync("berth: Error waiting for container: " + error.Message);
                    return 125;
                }
                return (int)result.StatusCode;
            }
            catch (JsonException)
            {
                return await Failed(console, System.Text.Encoding.UTF8.GetString(body).Trim());
            }
        }
    }

    private static async Task<int> Failed(CliConsole console, string message)
    {
        await console.Err.WriteLineAsync("berth: error waiting for container: " + message);
        return 125;
    }
}
