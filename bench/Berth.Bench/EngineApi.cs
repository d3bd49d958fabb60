using System.Text;
using System.Text.Json.Nodes;
using Berth.Http;

namespace Berth.Bench;

/// <summary>The few Engine API calls the harness makes itself (over Berth.Http's client), for berthd and dockerd alike.</summary>
public sealed class EngineApi : IDisposable
{
    private readonly UnixHttpClient _client;

    public EngineApi(string socketPath, int maxIdleConnections = 8)
    {
        _client = new UnixHttpClient(socketPath) { MaxIdleConnections = maxIdleConnections, UserAgent = "berth-bench" };
    }

    public UnixHttpClient Client => _client;

    /// <summary>POST /containers/create of busybox with <paramref name="cmd"/> and --network none; returns the ID.</summary>
    public async Task<string> CreateAsync(string[] cmd, bool attach = false, bool autoRemove = false)
    {
        var body = new JsonObject
        {
            ["Image"] = CliEngine.Image,
            ["Cmd"] = new JsonArray(cmd.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray()),
            ["AttachStdout"] = attach,
            ["AttachStderr"] = attach,
            ["HostConfig"] = new JsonObject { ["NetworkMode"] = "none", ["AutoRemove"] = autoRemove },
        };
        var request = new HttpClientRequest("POST", "/containers/create") { Content = Encoding.UTF8.GetBytes(body.ToJsonString()) };
        request.Headers.Set("Content-Type", "application/json");
        using var response = await _client.SendAsync(request);
        await response.EnsureSuccessAsync();
        return JsonNode.Parse(await response.ReadAsStringAsync())!["Id"]!.GetValue<string>();
    }

    public async Task PostAsync(string target)
    {
        using var response = await _client.PostAsync(target);
        await response.EnsureSuccessAsync();
        await response.ReadAsBytesAsync();
    }

    public async Task RemoveAsync(string id, bool force = true)
    {
        using var response = await _client.SendAsync(new HttpClientRequest("DELETE", $"/containers/{id}?force={(force ? 1 : 0)}"));
        await response.EnsureSuccessAsync();
        await response.ReadAsBytesAsync();
    }

    /// <summary>GET /containers/json?all=1; returns the body's size in bytes.</summary>
    public async Task<int> ListAllAsync()
    {
        using var response = await _client.GetAsync("/containers/json?all=1");
        await response.EnsureSuccessAsync();
        return (await response.ReadAsBytesAsync()).Length;
    }

    /// <summary>The IDs of all containers.</summary>
    public async Task<List<string>> IdsAsync()
    {
        using var response = await _client.GetAsync("/containers/json?all=1");
        await response.EnsureSuccessAsync();
        return JsonNode.Parse(await response.ReadAsStringAsync())!.AsArray().Select(c => c!["Id"]!.GetValue<string>()).ToList();
    }

    /// <summary>Runs <paramref name="work"/> over <paramref name="items"/> with at most <paramref name="parallel"/> at a time.</summary>
    public static Task ForEachAsync<T>(IEnumerable<T> items, int parallel, Func<T, Task> work) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (item, _) => await work(item));

    public void Dispose() => _client.Dispose();
}
