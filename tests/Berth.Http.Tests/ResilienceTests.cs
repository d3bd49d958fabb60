using System.Net;
using NUnit.Framework;

namespace Berth.Http.Tests;

public sealed class ResilienceTests : ServerTestBase
{
    [Test]
    public async Task ClientVanishingMidBodyFailsOnlyThatRequest()
    {
        var handlerFailed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        Router.MapPost("/images/load", async c =>
        {
            try
            {
                await c.Request.Body.CopyToAsync(Stream.Null);
            }
            catch (Exception e)
            {
                handlerFailed.TrySetResult(e);
                throw;
            }
        });
        MapOk();
        StartServer();
        var raw = Connect();
        await raw.SendAsync("POST /images/load HTTP/1.1\r\nContent-Length: 1000000\r\n\r\n" + new string('x', 5000));
        await raw.DisposeAsync();
        Assert.That(await handlerFailed.Task.WaitAsync(Timeout), Is.InstanceOf<IOException>());
        await AssertServerStillServesAsync();
    }

    [Test]
    public async Task ClientVanishingMidStreamEndsTheHandler()
    {
        var handlerEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Router.MapGet("/events", async c =>
        {
            try
            {
                while (true)
                {
                    await c.Response.Body.WriteAsync(new byte[4096], c.RequestAborted);
                    await Task.Delay(5, c.RequestAborted);
                }
            }
            finally
            {
                handlerEnded.SetResult();
            }
        });
        MapOk();
        StartServer();
        var raw = Connect();
        await raw.SendAsync("GET /events HTTP/1.1\r\n\r\n");
        await raw.ReadHeadAsync();
        await raw.DisposeAsync();
        await handlerEnded.Task.WaitAsync(Timeout);
        await AssertServerStillServesAsync();
    }

    [Test]
    public async Task BlockedHandlerDoesNotBlockOtherConnections()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Router.MapPost("/containers/{id}/wait", async c =>
        {
            await release.Task.WaitAsync(c.RequestAborted);
            await c.Response.SendAsync("{\"StatusCode\":0}"u8.ToArray(), "application/json");
        });
        MapOk();
        StartServer();
        var client = NewClient();
        var blocked = client.PostAsync("/containers/web/wait");
        for (int i = 0; i < 5; i++)
            await AssertServerStillServesAsync();
        Assert.That(blocked.IsCompleted, Is.False);
        release.SetResult();
        await using var response = await blocked.WaitAsync(Timeout);
        Assert.That(await response.ReadAsStringAsync(), Is.EqualTo("{\"StatusCode\":0}"));
    }

    [Test]
    public async Task ManyConnectionsAtOnce()
    {
        Router.MapGet("/slow/{n}", async c =>
        {
            await Task.Delay(50);
            await c.Response.SendAsync(System.Text.Encoding.ASCII.GetBytes(c.RouteValue("n")), "text/plain");
        });
        StartServer();
        var clients = Enumerable.Range(0, 50).Select(i => FetchAsync(NewClient(), $"/slow/{i}"));
        string[] bodies = await Task.WhenAll(clients).WaitAsync(Timeout);
        Assert.That(bodies, Is.EqualTo(Enumerable.Range(0, 50).Select(i => i.ToString()).ToArray()));
    }

    [Test]
    public async Task TcpEndPointWorksWhenAskedFor()
    {
        MapOk();
        var server = new HttpServer(new HttpServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) }, Router.HandleAsync);
        server.Start();
        try
        {
            using var client = new UnixHttpClient(server.LocalEndPoint!);
            Assert.That(await FetchAsync(client, "/ok"), Is.EqualTo("ok"));
        }
        finally
        {
            await server.StopAsync();
        }
    }

    private void MapOk() => Router.MapGet("/ok", c => c.Response.SendAsync("ok"u8.ToArray(), "text/plain"));

    private static async Task<string> FetchAsync(UnixHttpClient client, string target)
    {
        await using var response = await client.GetAsync(target);
        return await response.ReadAsStringAsync();
    }

    private async Task AssertServerStillServesAsync() =>
        Assert.That(await FetchAsync(NewClient(), "/ok").WaitAsync(Timeout), Is.EqualTo("ok"));
}
