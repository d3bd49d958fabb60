using NUnit.Framework;

namespace Berth.Http.Tests;

/// <summary>Slow heads time out, the connection count is capped, and /_ping answers through a slowloris.</summary>
public sealed class ConnectionLimitTests : ServerTestBase
{
    [Test]
    public async Task A_head_that_trickles_in_is_closed_after_the_head_timeout()
    {
        MapPing();
        StartServer(o => Options(o, headTimeout: TimeSpan.FromSeconds(1)));
        var raw = Connect();
        using var trickle = new CancellationTokenSource();
        var sending = TrickleAsync(raw, trickle.Token);
        Assert.That(await ClosedWithNoResponseAsync(raw), Is.True);
        await trickle.CancelAsync();
        await sending;
    }

    [Test]
    public async Task An_idle_keep_alive_connection_is_closed_after_the_keep_alive_timeout()
    {
        MapPing();
        StartServer(o => new HttpServerOptions { EndPoint = o.EndPoint, KeepAliveTimeout = TimeSpan.FromSeconds(1) });
        var raw = Connect();
        await raw.SendAsync("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.That(await raw.ReadResponseAsync(), Does.StartWith("HTTP/1.1 200"));
        Assert.That(await ClosedWithNoResponseAsync(raw), Is.True);
    }

    [Test]
    public async Task Ping_answers_under_a_slowloris_of_200_connections()
    {
        MapPing();
        StartServer(o => Options(o, headTimeout: TimeSpan.FromSeconds(3)));
        using var trickle = new CancellationTokenSource();
        var attackers = Enumerable.Range(0, 200).Select(_ => Connect()).ToList();
        var sending = attackers.Select(a => TrickleAsync(a, trickle.Token)).ToList();
        for (int i = 0; i < 5; i++)
            Assert.That(await PingAsync(), Is.EqualTo("OK"));
        var closed = attackers.Select(ClosedWithNoResponseAsync).ToList();
        Assert.That(await Task.WhenAll(closed), Has.All.True, "every trickling connection closed by the head timeout");
        await trickle.CancelAsync();
        await Task.WhenAll(sending);
        Assert.That(await PingAsync(), Is.EqualTo("OK"));
    }

    [Test]
    public async Task When_full_the_connection_that_waited_longest_makes_room()
    {
        MapPing();
        StartServer(o => Options(o, maxConnections: 8));
        var idle = new List<RawConnection>();
        for (int i = 0; i < 8; i++)
        {
            var raw = Connect();
            await raw.SendAsync("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.That(await raw.ReadResponseAsync(), Does.EndWith("OK"));
            idle.Add(raw);
        }
        Assert.That(await PingAsync(), Is.EqualTo("OK"), "a new connection is served");
        Assert.That(await ClosedWithNoResponseAsync(idle[0]), Is.True, "the longest idle connection was closed for it");
        await idle[^1].SendAsync("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.That(await idle[^1].ReadResponseAsync(), Does.EndWith("OK"), "the newest idle connection still serves");
    }

    [Test]
    public async Task When_full_of_busy_connections_a_new_one_gets_503_and_the_busy_ones_live_on()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Router.MapPost("/containers/{id}/wait", async c =>
        {
            await c.Response.StartAsync();
            await release.Task;
        });
        MapPing();
        StartServer(o => Options(o, maxConnections: 2));
        var busy = new[] { Connect(), Connect() };
        foreach (var raw in busy)
        {
            await raw.SendAsync("POST /containers/a/wait HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.That(await raw.ReadHeadAsync(), Does.StartWith("HTTP/1.1 200"));
        }
        var refused = Connect();
        string response = await refused.ReadToEndAsync();
        Assert.That(response, Does.StartWith("HTTP/1.1 503"));
        Assert.That(response, Does.Contain("too many connections: the server allows 2 at once"));
        release.SetResult();
        foreach (var raw in busy)
            Assert.That(await raw.ReadExactlyAsync(5), Is.EqualTo("0\r\n\r\n"), "the streams end normally");
    }

    private static HttpServerOptions Options(HttpServerOptions o, TimeSpan? headTimeout = null, int maxConnections = 4096) => new()
    {
        EndPoint = o.EndPoint,
        HeadTimeout = headTimeout ?? TimeSpan.FromSeconds(10),
        MaxConnections = maxConnections,
    };

    private void MapPing() => Router.MapGet("/_ping", c => c.Response.SendAsync("OK"u8.ToArray(), "text/plain"));

    private async Task<string> PingAsync()
    {
        await using var response = await NewClient().GetAsync("/_ping").WaitAsync(Timeout);
        return await response.ReadAsStringAsync();
    }

    /// <summary>True when the server closed the connection (FIN or reset: nothing was owed) without sending a byte.</summary>
    private static async Task<bool> ClosedWithNoResponseAsync(RawConnection raw)
    {
        try
        {
            return await raw.ReadToEndAsync() == "";
        }
        catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionReset)
        {
            return true;
        }
    }

    /// <summary>A request head, one byte every 200 ms (well within any read timeout), never finished.</summary>
    private static async Task TrickleAsync(RawConnection raw, CancellationToken cancellationToken)
    {
        string head = "GET /_ping HTTP/1.1\r\nHost: x\r\nX-Slow: " + new string('a', 10_000);
        try
        {
            foreach (char c in head)
            {
                await raw.SendAsync(c.ToString());
                await Task.Delay(200, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
        }
    }
}
