using NUnit.Framework;

namespace Berth.Http.Tests;

public sealed class ProtocolErrorTests : ServerTestBase
{
    private static readonly string LongHeader = new('h', 9000);

    private static IEnumerable<TestCaseData> BadRequests()
    {
        yield return Case("GET /" + new string('a', 9000) + " HTTP/1.1\r\n\r\n", 414, "request line over 8 KiB");
        yield return Case("GET /ok HTTP/1.1\r\nX-Big: " + LongHeader + "\r\n\r\n", 431, "header line over 8 KiB");
        yield return Case("GET /ok HTTP/1.1\r\n" + Headers(101, 10) + "\r\n", 431, "101 headers");
        yield return Case("GET /ok HTTP/1.1\r\n" + Headers(10, 7000) + "\r\n", 431, "head over 64 KiB");
        yield return Case("\u0001\u0002garbage\r\n\r\n", 400, "garbage");
        yield return Case("GET /ok\r\n\r\n", 400, "no protocol");
        yield return Case("GET  /ok HTTP/1.1\r\n\r\n", 400, "double space");
        yield return Case("GET http://host/ok HTTP/1.1\r\n\r\n", 400, "absolute form");
        yield return Case("GET /ok HTTP/2.0\r\n\r\n", 505, "HTTP/2.0");
        yield return Case("GET /ok HTTP/1.1\r\nNo colon here\r\n\r\n", 400, "header without colon");
        yield return Case("GET /ok HTTP/1.1\r\nBad Name: x\r\n\r\n", 400, "space in header name");
        yield return Case("GET /ok HTTP/1.1\r\n folded: x\r\n\r\n", 400, "obs-fold");
        yield return Case("GET /a%zz HTTP/1.1\r\n\r\n", 400, "bad percent escape");
        yield return Case("POST /read HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "CL and TE");
        yield return Case("POST /read HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400, "negative CL");
        yield return Case("POST /read HTTP/1.1\r\nContent-Length: 12abc\r\n\r\n", 400, "invalid CL");
        yield return Case("POST /read HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400, "conflicting CL");
        yield return Case("POST /read HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501, "unknown transfer coding");
        yield return Case("POST /read HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", 400, "bad chunk size");
        yield return Case("POST /read HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcdef\r\n0\r\n\r\n", 400, "chunk longer than its size");
        yield return Case("POST /read HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + new string('1', 20) + "\r\n", 400, "huge chunk size");
    }

    private static TestCaseData Case(string wire, int status, string name) => new TestCaseData(wire, status).SetName($"BadRequest({name}) gets {status}");

    private static string Headers(int count, int valueLength) =>
        string.Concat(Enumerable.Range(0, count).Select(i => $"X-H{i}: {new string('v', valueLength)}\r\n"));

    [TestCaseSource(nameof(BadRequests))]
    public async Task BadRequestGetsAnErrorAndAClosedConnection(string wire, int status)
    {
        MapHandlers();
        StartServer();
        var raw = Connect();
        await raw.SendAsync(wire);
        string response = await raw.ReadToEndAsync();
        Assert.That(response, Does.StartWith($"HTTP/1.1 {status} "));
        Assert.That(response, Does.Contain("Connection: close\r\n").And.Contain("\"message\":"));
        await AssertServerStillServesAsync();
    }

    [Test]
    public async Task HundredHeadersAndEightKiBLinesAreAccepted()
    {
        MapHandlers();
        StartServer();
        var raw = Connect();
        await raw.SendAsync("GET /ok HTTP/1.1\r\n" + Headers(99, 10) + "X-Long: " + new string('v', 8000) + "\r\n\r\n");
        Assert.That(await raw.ReadResponseAsync(), Does.StartWith("HTTP/1.1 200 OK"));
    }

    [Test]
    public async Task ClientClosingMidHeadIsNoError()
    {
        MapHandlers();
        StartServer();
        var raw = Connect();
        await raw.SendAsync("GET /ok HTTP/1.1\r\nHost: x");
        raw.ShutdownWrite();
        Assert.That(await raw.ReadToEndAsync(), Does.StartWith("HTTP/1.1 400 "));
        await AssertServerStillServesAsync();
    }

    private void MapHandlers()
    {
        Router.MapGet("/ok", c => c.Response.SendAsync("ok"u8.ToArray(), "text/plain"));
        Router.MapPost("/read", async c =>
        {
            await c.Request.Body.CopyToAsync(Stream.Null);
            await c.Response.SendAsync("read"u8.ToArray(), "text/plain");
        });
    }

    private async Task AssertServerStillServesAsync()
    {
        await using var response = await NewClient().GetAsync("/ok").WaitAsync(Timeout);
        Assert.That(await response.ReadAsStringAsync(), Is.EqualTo("ok"));
    }
}
