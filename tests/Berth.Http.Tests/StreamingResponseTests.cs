using System.Text;
using NUnit.Framework;

namespace Berth.Http.Tests;

public sealed class StreamingResponseTests : ServerTestBase
{
    [Test]
    public async Task EachWriteReachesTheClientBeforeTheNextIsMade()
    {
        var secondMayGo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Router.MapGet("/containers/{id}/logs", async c =>
        {
            await c.Response.Body.WriteAsync("first\n"u8.ToArray(), c.RequestAborted);
            await secondMayGo.Task.WaitAsync(Timeout);
            await c.Response.Body.WriteAsync("second\n"u8.ToArray(), c.RequestAborted);
        });
        StartServer();
        await using var response = await NewClient().GetAsync("/v1.50/containers/web/logs?follow=1").WaitAsync(Timeout);
        Assert.That(response.Headers["Transfer-Encoding"], Is.EqualTo("chunked"));
        byte[] buffer = new byte[100];
        int read = await response.Body.ReadAsync(buffer).AsTask().WaitAsync(Timeout);
        Assert.That(Encoding.ASCII.GetString(buffer, 0, read), Is.EqualTo("first\n"));
        secondMayGo.SetResult();
        Assert.That(await response.ReadAsStringAsync().WaitAsync(Timeout), Is.EqualTo("second\n"));
    }

    [Test]
    public async Task WaitHeadersGoOutBeforeTheBody()
    {
        var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        Router.MapPost("/containers/{id}/wait", async c =>
        {
            c.Response.Headers.Set("Content-Type", "application/json");
            await c.Response.StartAsync(c.RequestAborted);
            int code = await exited.Task.WaitAsync(c.RequestAborted);
            await c.Response.Body.WriteAsync(Encoding.ASCII.GetBytes($"{{\"StatusCode\":{code},\"Error\":null}}\n"), c.RequestAborted);
        });
        StartServer();
        await using var response = await NewClient().PostAsync("/v1.50/containers/web/wait?condition=removed").WaitAsync(Timeout);
        Assert.That(response.StatusCode, Is.EqualTo(200));
        Assert.That(response.Headers["Content-Type"], Is.EqualTo("application/json"));
        exited.SetResult(42);
        Assert.That(await response.ReadAsStringAsync().WaitAsync(Timeout), Is.EqualTo("{\"StatusCode\":42,\"Error\":null}\n"));
    }

    [Test]
    public async Task AbandonedWaitCancelsTheHandler()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Router.MapPost("/containers/{id}/wait", async c =>
        {
            await c.Response.StartAsync(c.RequestAborted);
            c.RequestAborted.Register(() => cancelled.TrySetResult());
            await Task.Delay(System.Threading.Timeout.Infinite, c.RequestAborted);
        });
        StartServer();
        var connection = Connect();
        await connection.SendAsync("POST /containers/web/wait HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        Assert.That(await connection.ReadHeadAsync(), Does.StartWith("HTTP/1.1 200 OK"));
        await connection.DisposeAsync();
        await cancelled.Task.WaitAsync(Timeout);
    }

    [Test]
    public async Task FixedLengthStreamingResponseUsesNoChunks()
    {
        Router.MapGet("/export", async c =>
        {
            c.Response.Headers.Set("Content-Length", "6");
            await c.Response.Body.WriteAsync("abc"u8.ToArray());
            await c.Response.Body.WriteAsync("def"u8.ToArray());
        });
        StartServer();
        await using var response = await NewClient().GetAsync("/export");
        Assert.That(response.Headers.Contains("Transfer-Encoding"), Is.False);
        Assert.That(await response.ReadAsStringAsync(), Is.EqualTo("abcdef"));
    }
}
