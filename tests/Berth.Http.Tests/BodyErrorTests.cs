using NUnit.Framework;

namespace Berth.Http.Tests;

/// <summary>
/// A request body that is cut short or malformed is the client's fault: 400 with the reason, whatever the
/// handler made of the read error (berthd's handler maps an unknown IOException to 500).
/// </summary>
public sealed class BodyErrorTests : ServerTestBase
{
    [SetUp]
    public void MapLoad() =>
        Router.MapPost("/images/load", async c =>
        {
            try
            {
                await c.Request.Body.CopyToAsync(Stream.Null);
                await c.Response.SendAsync("loaded"u8.ToArray(), "text/plain");
            }
            catch (IOException e)
            {
                await c.Response.SendErrorAsync(500, "load failed: " + e.Message);
            }
        });

    [Test]
    public async Task A_body_shorter_than_its_Content_Length_gets_400()
    {
        StartServer();
        var raw = Connect();
        await raw.SendAsync("POST /images/load HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789");
        raw.ShutdownWrite();
        string response = await raw.ReadToEndAsync();
        Assert.That(response, Does.StartWith("HTTP/1.1 400 Bad Request"));
        Assert.That(response, Does.Contain("request body cut short: 10 of its 100 bytes"));
    }

    [Test]
    public async Task A_chunked_body_cut_short_gets_400()
    {
        StartServer();
        var raw = Connect();
        await raw.SendAsync("POST /images/load HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\n5\r\n01");
        raw.ShutdownWrite();
        string response = await raw.ReadToEndAsync();
        Assert.That(response, Does.StartWith("HTTP/1.1 400 Bad Request"));
        Assert.That(response, Does.Contain("in the middle of a chunked body"));
    }

    [Test]
    public async Task A_bad_chunk_size_gets_400_and_the_connection_closes()
    {
        StartServer();
        var raw = Connect();
        await raw.SendAsync("POST /images/load HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
        string response = await raw.ReadToEndAsync();
        Assert.That(response, Does.StartWith("HTTP/1.1 400 Bad Request"));
        Assert.That(response, Does.Contain("malformed chunk size"));
        Assert.That(response, Does.Contain("Connection: close"));
    }

    [Test]
    public async Task A_good_body_still_loads()
    {
        StartServer();
        var raw = Connect();
        await raw.SendAsync("POST /images/load HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
        Assert.That(await raw.ReadResponseAsync(), Does.StartWith("HTTP/1.1 200").And.EndWith("loaded"));
    }
}
