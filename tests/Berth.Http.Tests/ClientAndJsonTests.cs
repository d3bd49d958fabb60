using System.Net.Sockets;
using System.Text;
using NUnit.Framework;

namespace Berth.Http.Tests;

public sealed class ClientAndJsonTests : ServerTestBase
{
    [Test]
    public async Task JsonRoundTripsThroughSourceGeneratedTypeInfo()
    {
        Router.MapPost("/containers/{id}/exec", async c =>
        {
            var request = await c.Request.ReadJsonAsync(TestJsonContext.Default.ExecCreateRequest, c.RequestAborted);
            c.Response.StatusCode = 201;
            await c.Response.SendJsonAsync(new IdResponse(string.Join(' ', request!.Cmd)), TestJsonContext.Default.IdResponse);
        });
        StartServer();
        var request = HttpClientRequest.Json("POST", "/v1.50/containers/web/exec",
            new ExecCreateRequest(["echo", "hi"], true), TestJsonContext.Default.ExecCreateRequest);
        await using var response = await NewClient().SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(201));
        Assert.That(response.Headers["Content-Type"], Is.EqualTo("application/json"));
        Assert.That(await response.ReadJsonAsync(TestJsonContext.Default.IdResponse), Is.EqualTo(new IdResponse("echo hi")));
    }

    [Test]
    public async Task MalformedJsonBodyIs400()
    {
        Router.MapPost("/containers/create", async c =>
        {
            await c.Request.ReadJsonAsync(TestJsonContext.Default.ExecCreateRequest, c.RequestAborted);
            c.Response.StatusCode = 201;
        });
        StartServer();
        var request = new HttpClientRequest("POST", "/containers/create") { Content = "{\"Cmd\": [1,"u8.ToArray() };
        await using var response = await NewClient().SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(400));
        Assert.That(await response.ReadAsStringAsync(), Does.StartWith("{\"message\":\"invalid JSON"));
    }

    [Test]
    public async Task ClientRetriesOnAKeepAliveConnectionTheServerClosed()
    {
        var connections = new List<long>();
        Router.MapGet("/_ping", c =>
        {
            lock (connections)
                connections.Add(c.ConnectionId);
            return c.Response.SendAsync("OK"u8.ToArray(), "text/plain");
        });
        StartServer(o => new HttpServerOptions { EndPoint = o.EndPoint, KeepAliveTimeout = TimeSpan.FromMilliseconds(100) });
        var client = NewClient();
        await using (var first = await client.GetAsync("/_ping"))
            await first.ReadAsStringAsync();
        await Task.Delay(400);
        await using (var second = await client.GetAsync("/_ping"))
            Assert.That(await second.ReadAsStringAsync(), Is.EqualTo("OK"));
        Assert.That(connections.Distinct().Count(), Is.EqualTo(2));
    }

    [Test]
    public async Task ClientReadsCloseDelimitedAndChunkedBodiesWithTrailers()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SocketPath)!);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        listener.Listen();
        var serve = Task.Run(async () =>
        {
            using (var first = await listener.AcceptAsync())
            {
                await ReadHeadAsync(first);
                await first.SendAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nX-T: 1\r\n\r\n"u8.ToArray());
                await ReadHeadAsync(first);
                await first.SendAsync("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close"u8.ToArray());
                first.Shutdown(SocketShutdown.Send);
            }
        });
        var client = NewClient();
        await using (var chunked = await client.GetAsync("/chunked").WaitAsync(Timeout))
            Assert.That(await chunked.ReadAsStringAsync(), Is.EqualTo("abc"));
        await using (var closeDelimited = await client.GetAsync("/close").WaitAsync(Timeout))
            Assert.That(await closeDelimited.ReadAsStringAsync().WaitAsync(Timeout), Is.EqualTo("until close"));
        await serve.WaitAsync(Timeout);
    }

    private static async Task ReadHeadAsync(Socket socket)
    {
        var head = new StringBuilder();
        byte[] one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n") && await socket.ReceiveAsync(one) == 1)
            head.Append((char)one[0]);
    }
}
