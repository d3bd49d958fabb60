using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Berth.Http;

/// <summary>
/// An HTTP/1.1 client for the Docker Engine API over a Unix socket (or TCP), for the berth CLI and tests.
/// Keeps idle connections for reuse; a hijack always gets a fresh connection, as the docker CLI does.
/// No reflection: JSON goes through source-generated type info.
/// </summary>
public sealed class UnixHttpClient : IAsyncDisposable, IDisposable
{
    private readonly EndPoint _endPoint;
    private readonly ConcurrentStack<ClientConnection> _idle = new();
    private bool _disposed;

    public UnixHttpClient(string socketPath) : this(new UnixDomainSocketEndPoint(socketPath))
    {
    }

    public UnixHttpClient(EndPoint endPoint)
    {
        _endPoint = endPoint;
    }

    /// <summary>The Host header; the docker CLI sends "api.moby.localhost".</summary>
    public string Host { get; init; } = "api.moby.localhost";

    public string UserAgent { get; init; } = "Berth-Client";

    public HttpLimits Limits { get; init; } = HttpLimits.Default;

    public int MaxIdleConnections { get; init; } = 4;

    /// <summary>
    /// Sends <paramref name="request"/> and returns once the response head has arrived. A request on a
    /// pooled connection the server has meanwhile closed is retried once on a new one, unless its body is a stream.
    /// </summary>
    public async Task<HttpClientResponse> SendAsync(HttpClientRequest request, CancellationToken cancellationToken = default)
    {
        var connection = await RentAsync(cancellationToken);
        var response = await TrySendAsync(connection, request, cancellationToken);
        if (response is not null)
            return response;
        connection = await ClientConnection.ConnectAsync(_endPoint, cancellationToken);
        return await TrySendAsync(connection, request, cancellationToken)
            ?? throw new IOException("the server closed the connection without a response");
    }

    public Task<HttpClientResponse> GetAsync(string target, CancellationToken cancellationToken = default) =>
        SendAsync(new HttpClientRequest("GET", target), cancellationToken);

    public Task<HttpClientResponse> PostAsync(string target, CancellationToken cancellationToken = default) =>
        SendAsync(new HttpClientRequest("POST", target), cancellationToken);

    /// <summary>
    /// Sends <paramref name="request"/> with <c>Connection: Upgrade</c> and <c>Upgrade: tcp</c> on a new
    /// connection and requires 101; any other status is an <see cref="ApiException"/>
    /// "unable to upgrade to tcp, received N".
    /// </summary>
    public async Task<HijackedStream> HijackAsync(HttpClientRequest request, CancellationToken cancellationToken = default)
    {
        var connection = await ClientConnection.ConnectAsync(_endPoint, cancellationToken);
        try
        {
            await connection.WriteRequestAsync(request, Host, UserAgent, upgrade: true, cancellationToken);
            var head = await connection.ReadHeadAsync(Limits, cancellationToken)
                ?? throw new IOException("the server closed the connection without a response");
            if (head.StatusCode != 101)
                throw await UpgradeRefusedAsync(connection, request, head, cancellationToken);
            return new HijackedStream(connection.Socket, connection.Reader, head.Headers);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryPop(out var connection))
            connection.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    internal void Return(ClientConnection connection)
    {
        connection.Reused = true;
        if (_disposed || _idle.Count >= MaxIdleConnections)
            connection.Dispose();
        else
            _idle.Push(connection);
    }

    private async Task<ClientConnection> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _idle.TryPop(out var connection) ? connection : await ClientConnection.ConnectAsync(_endPoint, cancellationToken);
    }

    /// <summary>The response; null when a reused connection turned out to be closed and the request can be retried.</summary>
    private async Task<HttpClientResponse?> TrySendAsync(ClientConnection connection, HttpClientRequest request, CancellationToken cancellationToken)
    {
        bool retryable = connection.Reused && request.ContentStream is null;
        try
        {
            await connection.WriteRequestAsync(request, Host, UserAgent, upgrade: false, cancellationToken);
            var head = await connection.ReadHeadAsync(Limits, cancellationToken);
            if (head is null)
            {
                connection.Dispose();
                return retryable ? null : throw new IOException("the server closed the connection without a response");
            }
            var body = connection.CreateBody(request.Method, head, Limits, out bool reusable);
            return new HttpClientResponse(this, connection, head, body, reusable);
        }
        catch (Exception e) when (retryable && e is IOException or SocketException)
        {
            connection.Dispose();
            return null;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static async Task<ApiException> UpgradeRefusedAsync(ClientConnection connection, HttpClientRequest request,
        HttpResponseHead head, CancellationToken cancellationToken)
    {
        var body = connection.CreateBody(request.Method, head, HttpLimits.Default, out _);
        var text = new MemoryStream();
        await body.CopyToAsync(text, cancellationToken);
        string message = ErrorBody.ReadMessage(text.ToArray());
        return new ApiException(head.StatusCode, $"unable to upgrade to tcp, received {head.StatusCode}: {message}");
    }
}
