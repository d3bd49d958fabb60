using System.Text;
using Berth.Http;

namespace Berth.Api.Tests.Infrastructure;

/// <summary>Requests to berthd's socket, as podman's apiv2 tests make them: method, path, optional JSON body.</summary>
public sealed class ApiClient(string socketPath) : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly UnixHttpClient _client = new(socketPath) { UserAgent = "Berth-Api-Tests" };

    public UnixHttpClient Http => _client;

    public Task<ApiResponse> GetAsync(string target) => SendAsync("GET", target);

    public Task<ApiResponse> PostAsync(string target, string? json = null) => SendAsync("POST", target, json);

    public Task<ApiResponse> DeleteAsync(string target) => SendAsync("DELETE", target);

    public async Task<ApiResponse> SendAsync(string method, string target, string? json = null)
    {
        var request = new HttpClientRequest(method, target);
        if (json is not null)
        {
            request.Content = Encoding.UTF8.GetBytes(json);
            request.Headers.Set("Content-Type", "application/json");
        }
        return await SendAsync(request);
    }

    public async Task<ApiResponse> SendAsync(HttpClientRequest request)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var response = await _client.SendAsync(request, cts.Token);
        byte[] body = await response.ReadAsBytesAsync(cts.Token);
        return new ApiResponse(response.StatusCode, response.Headers, body);
    }

    /// <summary>POST /containers/create with a minimal body; returns the id (asserting 201).</summary>
    public async Task<string> CreateAsync(string? name, string json)
    {
        var response = await PostAsync("/v1.50/containers/create" + (name is null ? "" : "?name=" + name), json);
        if (response.Status != 201)
            throw new InvalidOperationException($"create failed: {response}");
        return response.Json.GetProperty("Id").GetString()!;
    }

    /// <summary>Loads an image archive the way `docker load` sends it: a chunked tar body.</summary>
    public async Task<ApiResponse> LoadAsync(string archive, bool quiet = true)
    {
        await using var file = File.OpenRead(archive);
        var request = new HttpClientRequest("POST", "/v1.50/images/load?quiet=" + (quiet ? "1" : "0")) { ContentStream = file };
        request.Headers.Set("Content-Type", "application/x-tar");
        return await SendAsync(request);
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
