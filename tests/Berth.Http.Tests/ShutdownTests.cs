using NUnit.Framework;

namespace Berth.Http.Tests;

public sealed class ShutdownTests : ServerTestBase
{
    [Test]
    public async Task StopLetsAnInFlightRequestFinish()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Router.MapPost("/containers/{id}/stop", async c =>
        {
            started.SetResult();
            await Task.Delay(300);
            await c.Response.SendAsync("stopped"u8.ToArray(), "text/plain");
        });
        StartServer();
        var request = NewClient().PostAsync("/containers/web/stop");
        await started.Task.WaitAsync(Timeout);
        var stop = Server.StopAsync();
        await using var response = await request.WaitAsync(Timeout);
        Assert.That(await response.ReadAsStringAsync(), Is.EqualTo("stopped"));
        Assert.That(response.Headers["Connection"], Is.EqualTo("close"));
        await stop.WaitAsync(Timeout);
        Assert.That(File.Exists(SocketPath), Is.False, "the socket file is removed");
    }

    [Test]
    public async Task StopClosesStreamingAndHijackedConnectionsWithoutWaitingForThem()
    {
        var streaming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hijacked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Router.MapPost("/containers/{id}/wait", async c =>
        {
            await c.Response.StartAsync();
            streaming.SetResult();
            await Task.Delay(System.Threading.Timeout.Infinite, c.RequestAborted);
        });
        Router.MapPost("/containers/{id}/attach", async c =>
        {
            c.Response.StatusCode = 101;
            var connection = await c.HijackAsync();
            hijacked.SetResult();
            await connection.Input.CopyToAsync(Stream.Null);
            await Task.Delay(System.Threading.Timeout.Infinite, c.RequestAborted);
        });
        StartServer(o => new HttpServerOptions { EndPoint = o.EndPoint, ShutdownTimeout = TimeSpan.FromSeconds(30) });
        var client = NewClient();
        await using var wait = await client.PostAsync("/containers/web/wait").WaitAsync(Timeout);
        await using var attach = await client.HijackAsync(new HttpClientRequest("POST", "/containers/web/attach")).WaitAsync(Timeout);
        await Task.WhenAll(streaming.Task, hijacked.Task).WaitAsync(Timeout);

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await Server.StopAsync().WaitAsync(Timeout);
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(25)), "did not wait for the shutdown timeout");
        Assert.That(await ReadToEndOrFailAsync(attach), Is.True, "the hijacked stream ended");
    }

    [Test]
    public async Task StopClosesIdleKeepAliveConnections()
    {
        Router.MapGet("/ok", c => c.Response.SendAsync("ok"u8.ToArray(), "text/plain"));
        StartServer();
        var raw = Connect();
        await raw.SendAsync("GET /ok HTTP/1.1\r\n\r\n");
        await raw.ReadResponseAsync();
        var stop = Server.StopAsync();
        Assert.That(await raw.ReadToEndAsync(), Is.Empty, "the idle connection sees EOF");
        await raw.DisposeAsync();
        await stop.WaitAsync(Timeout);
    }

    private static async Task<bool> ReadToEndOrFailAsync(Stream stream)
    {
        try
        {
            await stream.CopyToAsync(Stream.Null).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (IOException)
        {
        }
        return true;
    }
}
