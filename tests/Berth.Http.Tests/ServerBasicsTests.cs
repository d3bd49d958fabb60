using System.Text;
using NUnit.Framework;

namespace Berth.Http.Tests;

public sealed class ServerBasicsTests : ServerTestBase
{
    private static Task Text(HttpContext context, string text) =>
        context.Response.SendAsync(Encoding.UTF8.GetBytes(text), "text/plain", context.RequestAborted);

    [Test]
    public async Task KeepAliveCarriesSequentialAndPipelinedRequestsOnOneConnection()
    {
        Router.MapGet("/a", c => Text(c, "first")).MapGet("/b", c => Text(c, "second"));
        StartServer();
        var connection = Connect();

        await connection.SendAsync("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.That(await connection.ReadResponseAsync(), Does.StartWith("HTTP/1.1 200 OK\r\n").And.EndWith("\r\n\r\nfirst"));
        await connection.SendAsync("GET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.That(await connection.ReadResponseAsync(), Does.EndWith("second"));
        Assert.That(await connection.ReadResponseAsync(), Does.EndWith("first"));
        await connection.SendAsync("GET /b HTTP/1.1\r\nConnection: close\r\n\r\n");
        string last = await connection.ReadToEndAsync();
        Assert.That(last, Does.Contain("Connection: close\r\n").And.EndWith("second"));
    }

    [Test]
    public async Task ClientReusesItsConnection()
    {
        var connections = new HashSet<long>();
        Router.MapGet("/x", c =>
        {
            lock (connections)
                connections.Add(c.ConnectionId);
            return Text(c, "ok");
        });
        StartServer();
        var client = NewClient();
        for (int i = 0; i < 3; i++)
        {
            await using var response = await client.GetAsync("/x");
            Assert.That(await response.ReadAsStringAsync(), Is.EqualTo("ok"));
        }
        Assert.That(connections, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task ContentLengthBodyReachesTheHandler()
    {
        Router.MapPost("/echo", async c =>
        {
            var body = new MemoryStream();
            await c.Request.Body.CopyToAsync(body);
            await c.Response.SendAsync(body.ToArray(), "application/octet-stream");
        });
        StartServer();
        var client = NewClient();
        var request = new HttpClientRequest("POST", "/echo") { Content = Encoding.ASCII.GetBytes("hello body") };
        await using var response = await client.SendAsync(request);
        Assert.That(await response.ReadAsStringAsync(), Is.EqualTo("hello body"));
    }

    [Test]
    public async Task HeadGetsHeadersWithoutBody()
    {
        Router.MapGet("/_ping", c => Text(c, "OK"));
        StartServer();
        var connection = Connect();
        await connection.SendAsync("HEAD /_ping HTTP/1.1\r\n\r\nGET /_ping HTTP/1.1\r\n\r\n");
        string head = await connection.ReadHeadAsync();
        Assert.That(head, Does.StartWith("HTTP/1.1 200 OK\r\n").And.Contain("Content-Length: 2\r\n"));
        Assert.That(await connection.ReadResponseAsync(), Does.StartWith("HTTP/1.1 200 OK\r\n").And.EndWith("\r\n\r\nOK"),
            "the next bytes are the GET response: the HEAD response had no body");
    }

    [Test]
    public async Task StreamingHeadResponseHasNoBodyEither()
    {
        Router.MapGet("/stream", async c =>
        {
            await c.Response.Body.WriteAsync("data"u8.ToArray());
        });
        StartServer();
        var connection = Connect();
        await connection.SendAsync("HEAD /stream HTTP/1.1\r\n\r\nGET /stream HTTP/1.1\r\n\r\n");
        Assert.That(await connection.ReadHeadAsync(), Does.Contain("Transfer-Encoding: chunked"));
        Assert.That(await connection.ReadResponseAsync(), Does.StartWith("HTTP/1.1 200 OK\r\n").And.Contain("\r\n\r\n4\r\ndata\r\n0\r\n\r\n"));
    }

    [Test]
    public async Task VersionedAndUnversionedPathsReachTheSameRoute()
    {
        Router.MapGet("/containers/{id}/json", c => Text(c, $"{c.RouteValue("id")} {c.ApiVersion?.ToString() ?? "none"}"));
        StartServer();
        var client = NewClient();
        await using (var versioned = await client.GetAsync("/v1.50/containers/web/json"))
            Assert.That(await versioned.ReadAsStringAsync(), Is.EqualTo("web 1.50"));
        await using (var old = await client.GetAsync("/v1.24/containers/web/json"))
            Assert.That(await old.ReadAsStringAsync(), Is.EqualTo("web 1.24"));
        await using (var plain = await client.GetAsync("/containers/web/json"))
            Assert.That(await plain.ReadAsStringAsync(), Is.EqualTo("web none"));
    }

    [Test]
    public async Task PathSegmentsAndQueryAreDecoded()
    {
        Router.MapGet("/containers/{id}/json", c =>
            Text(c, $"{c.RouteValue("id")}|{c.Request.Query["filters"]}|{c.Request.Query["name"]}|{c.Request.Query.GetBool("all")}"));
        StartServer();
        var client = NewClient();
        await using var response = await client.GetAsync("/v1.50/containers/web%2Fx%20y/json?all=1&filters=%7B%22a%22%3Atrue%7D&name=a+b");
        Assert.That(await response.ReadAsStringAsync(), Is.EqualTo("web/x y|{\"a\":true}|a b|True"));
    }

    [Test]
    public async Task CatchAllParameterTakesImageNamesWithSlashes()
    {
        Router.MapGet("/images/{name*}/json", c => Text(c, c.RouteValue("name")))
            .MapGet("/images/json", c => Text(c, "list"));
        StartServer();
        var client = NewClient();
        await using (var named = await client.GetAsync("/v1.50/images/registry.example.com:5000/team/app:v1/json"))
            Assert.That(await named.ReadAsStringAsync(), Is.EqualTo("registry.example.com:5000/team/app:v1"));
        await using (var list = await client.GetAsync("/v1.50/images/json"))
            Assert.That(await list.ReadAsStringAsync(), Is.EqualTo("list"));
    }

    [Test]
    public async Task UnknownRouteAndWrongMethodAre404JsonLikeDockerd()
    {
        Router.MapGet("/info", c => Text(c, "{}"));
        StartServer();
        var client = NewClient();
        await using (var missing = await client.GetAsync("/v1.50/nothing/here"))
        {
            Assert.That(missing.StatusCode, Is.EqualTo(404));
            Assert.That(missing.Headers["Content-Type"], Is.EqualTo("application/json"));
            Assert.That((await missing.ReadAsStringAsync()).Trim(), Is.EqualTo("{\"message\":\"page not found\"}"));
        }
        await using (var wrong = await client.PostAsync("/info"))
        {
            Assert.That(wrong.StatusCode, Is.EqualTo(404));
            Assert.That((await wrong.ReadAsStringAsync()).Trim(), Is.EqualTo("{\"message\":\"page not found\"}"));
        }
    }

    [Test]
    public async Task HandlerExceptionsBecomeJsonErrors()
    {
        Router.MapPost("/containers/{id}/start", c => throw new ApiException(409, $"container {c.RouteValue("id")} is running"))
            .MapGet("/boom", _ => throw new InvalidOperationException("kaput"));
        StartServer();
        var client = NewClient();
        await using (var conflict = await client.PostAsync("/containers/web/start"))
        {
            Assert.That(conflict.StatusCode, Is.EqualTo(409));
            var error = Assert.ThrowsAsync<ApiException>(() => conflict.EnsureSuccessAsync());
            Assert.That(error!.Message, Is.EqualTo("container web is running"));
        }
        await using (var boom = await client.GetAsync("/boom"))
        {
            Assert.That(boom.StatusCode, Is.EqualTo(500));
            Assert.That(await boom.ReadAsStringAsync(), Does.Contain("\"message\":\"kaput\""));
        }
        await using var again = await client.GetAsync("/boom");
        Assert.That(again.StatusCode, Is.EqualTo(500), "the connection survives a handler failure");
    }

    [Test]
    public async Task NoContentResponseHasNoBodyAndKeepsTheConnection()
    {
        Router.MapPost("/stop", c =>
        {
            c.Response.StatusCode = 204;
            return Task.CompletedTask;
        });
        StartServer();
        var connection = Connect();
        await connection.SendAsync("POST /stop HTTP/1.1\r\nContent-Length: 0\r\n\r\nPOST /stop HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        string first = await connection.ReadHeadAsync();
        Assert.That(first, Does.StartWith("HTTP/1.1 204 No Content\r\n").And.Not.Contain("Content-Length"));
        Assert.That(await connection.ReadHeadAsync(), Does.StartWith("HTTP/1.1 204 No Content\r\n"));
    }

    [Test]
    public async Task Http10ClientGetsACloseDelimitedStream()
    {
        Router.MapGet("/logs", async c =>
        {
            await c.Response.Body.WriteAsync("line 1\n"u8.ToArray());
            await c.Response.Body.WriteAsync("line 2\n"u8.ToArray());
        });
        StartServer();
        var connection = Connect();
        await connection.SendAsync("GET /logs HTTP/1.0\r\n\r\n");
        string all = await connection.ReadToEndAsync();
        Assert.That(all, Does.Not.Contain("chunked").And.Contain("Connection: close").And.EndWith("\r\n\r\nline 1\nline 2\n"));
    }

    [Test]
    public async Task UnhandledBodyIsDrainedBeforeTheNextRequest()
    {
        Router.MapPost("/ignore", c => Text(c, "ignored"));
        StartServer();
        var connection = Connect();
        await connection.SendAsync("POST /ignore HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
            + "POST /ignore HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
        Assert.That(await connection.ReadResponseAsync(), Does.EndWith("ignored"));
        Assert.That(await connection.ReadResponseAsync(), Does.EndWith("ignored"));
    }

    [Test]
    public async Task ExpectContinueGets100BeforeTheBodyIsRead()
    {
        Router.MapPost("/upload", async c =>
        {
            var body = new MemoryStream();
            await c.Request.Body.CopyToAsync(body);
            await Text(c, $"got {body.Length}");
        });
        StartServer();
        var connection = Connect();
        await connection.SendAsync("POST /upload HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
        Assert.That(await connection.ReadHeadAsync(), Is.EqualTo("HTTP/1.1 100 Continue\r\n\r\n"));
        await connection.SendAsync("data");
        Assert.That(await connection.ReadResponseAsync(), Does.EndWith("got 4"));
    }
}
