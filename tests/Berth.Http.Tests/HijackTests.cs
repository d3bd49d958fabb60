using System.Text;
using NUnit.Framework;

namespace Berth.Http.Tests;

public sealed class HijackTests : ServerTestBase
{
    private const string ExecStartBody = "{\"Detach\":false,\"Tty\":false}\n";

    private static async Task<HijackedConnection> UpgradeAsync(HttpContext context, string contentType)
    {
        context.Response.StatusCode = 101;
        context.Response.ReasonPhrase = "UPGRADED";
        context.Response.Headers.Add("Content-Type", contentType);
        context.Response.Headers.Add("Connection", "Upgrade");
        context.Response.Headers.Add("Upgrade", "tcp");
        return await context.HijackAsync(context.RequestAborted);
    }

    [Test]
    public async Task ExecStartWithBodyHijacksAndWritesAfterTheClientHalfCloses()
    {
        string? receivedBody = null;
        Router.MapPost("/exec/{id}/start", async c =>
        {
            receivedBody = Encoding.UTF8.GetString(await ReadAllAsync(c.Request.Body));
            var connection = await UpgradeAsync(c, "application/vnd.docker.multiplexed-stream");
            byte[] buffer = new byte[1024];
            int read;
            while ((read = await connection.Input.ReadAsync(buffer)) > 0)
                await StdCopy.WriteFrameAsync(connection.Output, StdStream.Stdout, Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(buffer, 0, read).ToUpperInvariant()));
            await Task.Delay(100);
            await StdCopy.WriteFrameAsync(connection.Output, StdStream.Stderr, "written after the half-close\n"u8.ToArray());
            await connection.CompleteAsync();
        });
        StartServer();
        var request = new HttpClientRequest("POST", "/v1.50/exec/e1/start") { Content = Encoding.ASCII.GetBytes(ExecStartBody) };
        request.Headers.Set("Content-Type", "application/json");
        await using var stream = await NewClient().HijackAsync(request).WaitAsync(Timeout);
        Assert.That(stream.IsMultiplexed, Is.True);
        await stream.WriteAsync("hello stdin\n"u8.ToArray());
        stream.CloseWrite();
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        await StdCopy.DemultiplexAsync(stream, stdout, stderr).WaitAsync(Timeout);
        Assert.That(receivedBody, Is.EqualTo(ExecStartBody));
        Assert.That(Encoding.ASCII.GetString(stdout.ToArray()), Is.EqualTo("HELLO STDIN\n"));
        Assert.That(Encoding.ASCII.GetString(stderr.ToArray()), Is.EqualTo("written after the half-close\n"));
    }

    [Test]
    public async Task BytesRightBehindTheRequestReachTheHijackedInput()
    {
        Router.MapPost("/exec/{id}/start", async c =>
        {
            string body = Encoding.UTF8.GetString(await ReadAllAsync(c.Request.Body));
            var connection = await UpgradeAsync(c, "application/vnd.docker.raw-stream");
            byte[] input = await ReadAllAsync(connection.Input);
            await connection.Output.WriteAsync(Encoding.ASCII.GetBytes($"body={body.Trim()} input={Encoding.ASCII.GetString(input)}"));
        });
        StartServer();
        var raw = Connect();
        await raw.SendAsync("POST /v1.50/exec/e1/start HTTP/1.1\r\nHost: api.moby.localhost\r\nContent-Type: application/json\r\n"
            + $"Content-Length: {ExecStartBody.Length}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n{ExecStartBody}early stdin");
        raw.ShutdownWrite();
        string all = await raw.ReadToEndAsync();
        Assert.That(all, Is.EqualTo("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
            + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
            + "body={\"Detach\":false,\"Tty\":false} input=early stdin"));
    }

    [Test]
    public async Task StdinAndEofSentBeforeTheHandlerHijacksAreKept()
    {
        Router.MapPost("/containers/{id}/attach", async c =>
        {
            await Task.Delay(200);
            var connection = await UpgradeAsync(c, "application/vnd.docker.raw-stream");
            byte[] input = await ReadAllAsync(connection.Input);
            await connection.Output.WriteAsync(input);
        });
        StartServer();
        var raw = Connect();
        await raw.SendAsync("POST /v1.50/containers/web/attach?stdin=1&stdout=1&stream=1 HTTP/1.1\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 0\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\na\nb\n");
        raw.ShutdownWrite();
        string all = await raw.ReadToEndAsync();
        Assert.That(all, Does.StartWith("HTTP/1.1 101 UPGRADED\r\n").And.EndWith("\r\n\r\na\nb\n"));
    }

    [Test]
    public async Task ServerClosesFirstAndTheClientStillSeesACleanEof()
    {
        Router.MapPost("/containers/{id}/attach", async c =>
        {
            var connection = await UpgradeAsync(c, "application/vnd.docker.raw-stream");
            await connection.Output.WriteAsync("exited\n"u8.ToArray());
        });
        StartServer();
        var request = new HttpClientRequest("POST", "/containers/web/attach?stream=1&stdin=1");
        await using var stream = await NewClient().HijackAsync(request).WaitAsync(Timeout);
        await stream.WriteAsync("typed but never read by the server\r"u8.ToArray());
        byte[] output = await ReadAllAsync(stream).WaitAsync(Timeout);
        Assert.That(Encoding.ASCII.GetString(output), Is.EqualTo("exited\n"));
        stream.CloseWrite();
    }

    [Test]
    public async Task UpgradeRefusedIsAnError()
    {
        Router.MapPost("/exec/{id}/start", _ => throw new ApiException(404, "No such exec instance: e9"));
        StartServer();
        var error = Assert.ThrowsAsync<ApiException>(() => NewClient().HijackAsync(new HttpClientRequest("POST", "/exec/e9/start")));
        Assert.That(error!.StatusCode, Is.EqualTo(404));
        Assert.That(error.Message, Is.EqualTo("unable to upgrade to tcp, received 404: No such exec instance: e9"));
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
