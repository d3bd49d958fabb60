using System.Text;
using System.Text.Json;
using Berth.Api.Tests.Infrastructure;
using Berth.Http;
using NUnit.Framework;

namespace Berth.Api.Tests.Api;

/// <summary>The long-lived calls: /wait (headers first), hijacked /attach with stdin and half-close, /logs (tail, timestamps, since, follow).</summary>
public sealed class StreamApiTests : DaemonFixture
{
    [Test]
    public async Task WaitSendsItsHeadersBeforeTheContainerStartsAndTheBodyAtItsExit()
    {
        string id = await CreateAsync(UniqueName("wait"), "sh", "-c", "exit 42");
        using var raw = RawConnection.Open(Daemon.SocketPath);
        await raw.SendAsync($"POST /v1.50/containers/{id}/wait?condition=next-exit HTTP/1.1\r\nHost: api.moby.localhost\r\nContent-Length: 0\r\n\r\n");
        string head = await raw.ReadUntilAsync("\r\n\r\n");
        Assert.That(head, Does.StartWith("HTTP/1.1 200 "));
        Assert.That(head, Does.Contain("Content-Type: application/json"));
        Assert.That(head, Does.Not.Contain("StatusCode"), "no body before the start");

        Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/start")).Status, Is.EqualTo(204));
        string all = await raw.ReadUntilAsync("}\n");
        Assert.That(all, Does.Contain("{\"StatusCode\":42,\"Error\":null}"));
        await Api.DeleteAsync($"/v1.50/containers/{id}");
    }

    [Test]
    public async Task WaitConditions()
    {
        string id = await CreateAsync(UniqueName("cond"), "true");
        var invalid = await Api.PostAsync($"/v1.50/containers/{id}/wait?condition=whenever");
        Assert.That(invalid.Status, Is.EqualTo(400));
        Assert.That(invalid.Message, Does.Contain("invalid condition"));

        var created = await Api.PostAsync($"/v1.50/containers/{id}/wait?condition=not-running");
        Assert.That(created.Json.GetProperty("StatusCode").GetInt32(), Is.Zero, "a created container is not running: answered at once");

        var removed = Api.PostAsync($"/v1.50/containers/{id}/wait?condition=removed");
        await Task.Delay(200);
        Assert.That(removed.IsCompleted, Is.False);
        Assert.That((await Api.DeleteAsync($"/v1.50/containers/{id}")).Status, Is.EqualTo(204));
        var result = await removed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(result.Status, Is.EqualTo(200));
        Assert.That(result.Json.GetProperty("StatusCode").GetInt32(), Is.Zero);
    }

    [Test]
    public async Task AnAbandonedWaitDoesNotHurtTheDaemon()
    {
        string id = await CreateAsync(UniqueName("abandon"), "sleep", "1000");
        using (var raw = RawConnection.Open(Daemon.SocketPath))
        {
            await raw.SendAsync($"POST /v1.50/containers/{id}/wait?condition=next-exit HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
            await raw.ReadUntilAsync("\r\n\r\n");
        }
        await Api.PostAsync($"/v1.50/containers/{id}/start");
        Assert.That((await Api.DeleteAsync($"/v1.50/containers/{id}?force=1")).Status, Is.EqualTo(204));
        Assert.That((await Api.GetAsync("/_ping")).Status, Is.EqualTo(200));
    }

    [Test]
    public async Task AttachCarriesStdinBeforeStartAndEndsAfterTheOutput()
    {
        string id = await Api.CreateAsync(UniqueName("cat"), "{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"cat; echo done >&2\"],\"OpenStdin\":true,\"StdinOnce\":true,\"AttachStdin\":true,\"AttachStdout\":true,\"AttachStderr\":true}");
        var request = new HttpClientRequest("POST", $"/v1.50/containers/{id}/attach?stderr=1&stdin=1&stdout=1&stream=1");
        request.Headers.Set("Content-Type", "text/plain");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var stream = await Api.Http.HijackAsync(request, cts.Token);
        Assert.That(stream.ResponseHeaders["Content-Type"], Is.EqualTo("application/vnd.docker.multiplexed-stream"));
        Assert.That(stream.IsMultiplexed, Is.True);
        await stream.WriteAsync("hello\nworld\n"u8.ToArray(), cts.Token);
        stream.CloseWrite();

        Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/start")).Status, Is.EqualTo(204));
        var (stdout, stderr) = await StdCopyReader.DemultiplexAsync(stream).WaitAsync(cts.Token);
        Assert.That(stdout, Is.EqualTo("hello\nworld\n"));
        Assert.That(stderr, Is.EqualTo("done\n"));
        await Api.DeleteAsync($"/v1.50/containers/{id}?force=1");
    }

    [Test]
    public async Task AttachHeadIsExactlyMobys()
    {
        string id = await CreateAsync(UniqueName("head"), "echo", "x");
        using var raw = RawConnection.Open(Daemon.SocketPath);
        await raw.SendAsync($"POST /v1.50/containers/{id}/attach?stdout=1&stream=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n");
        string head = await raw.ReadUntilAsync("\r\n\r\n");
        Assert.That(head, Is.EqualTo("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"));
        await Api.PostAsync($"/v1.50/containers/{id}/start");
        string all = await raw.ReadUntilAsync("x\n");
        Assert.That(all[head.Length..], Is.EqualTo("\u0001\0\0\0\0\0\0\u0002x\n"));
        await Api.DeleteAsync($"/v1.50/containers/{id}?force=1");
    }

    [Test]
    public async Task AttachWithLogsReplaysThePreviousOutput()
    {
        string id = await CreateAsync(UniqueName("replay"), "sh", "-c", "echo old; echo older >&2");
        await Api.PostAsync($"/v1.50/containers/{id}/start");
        await Api.PostAsync($"/v1.50/containers/{id}/wait");
        var request = new HttpClientRequest("POST", $"/v1.50/containers/{id}/attach?logs=1&stream=0&stdout=1&stderr=1");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var stream = await Api.Http.HijackAsync(request, cts.Token);
        stream.CloseWrite();
        var (stdout, stderr) = await StdCopyReader.DemultiplexAsync(stream).WaitAsync(cts.Token);
        Assert.That(stdout, Is.EqualTo("old\n"));
        Assert.That(stderr, Is.EqualTo("older\n"));
        await Api.DeleteAsync($"/v1.50/containers/{id}");
    }

    [Test]
    public async Task AttachEndsWhenTheStartFails()
    {
        string id = await CreateAsync(UniqueName("failing"), "nope");
        var request = new HttpClientRequest("POST", $"/v1.50/containers/{id}/attach?stderr=1&stdout=1&stream=1");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var stream = await Api.Http.HijackAsync(request, cts.Token);
        stream.CloseWrite();
        Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/start")).Status, Is.EqualTo(400));
        var (stdout, stderr) = await StdCopyReader.DemultiplexAsync(stream).WaitAsync(cts.Token);
        Assert.That(stdout + stderr, Is.Empty);
        await Api.DeleteAsync($"/v1.50/containers/{id}");
    }

    [Test]
    public async Task LogsAreFramedPerStreamWithTailTimestampsAndSince()
    {
        string id = await CreateAsync(UniqueName("logs"), "sh", "-c", "echo err >&2; sleep 0.2; echo one; echo two; echo three");
        await Api.PostAsync($"/v1.50/containers/{id}/start");
        await Api.PostAsync($"/v1.50/containers/{id}/wait");

        var both = await Api.GetAsync($"/v1.50/containers/{id}/logs?stdout=1&stderr=1&tail=all");
        Assert.That(both.Status, Is.EqualTo(200));
        Assert.That(both.Headers["Content-Type"], Is.EqualTo("application/vnd.docker.multiplexed-stream"));
        var (stdout, stderr) = await StdCopyReader.DemultiplexAsync(both.Body);
        Assert.That(stdout, Is.EqualTo("one\ntwo\nthree\n"));
        Assert.That(stderr, Is.EqualTo("err\n"));

        var onlyStdout = await StdCopyReader.DemultiplexAsync((await Api.GetAsync($"/v1.50/containers/{id}/logs?stdout=1")).Body);
        Assert.That(onlyStdout.Stderr, Is.Empty);

        var tail = await StdCopyReader.DemultiplexAsync((await Api.GetAsync($"/v1.50/containers/{id}/logs?stdout=1&stderr=1&tail=1")).Body);
        Assert.That(tail.Stdout, Is.EqualTo("three\n"));

        var stamped = await StdCopyReader.DemultiplexAsync((await Api.GetAsync($"/v1.50/containers/{id}/logs?stdout=1&timestamps=1")).Body);
        Assert.That(stamped.Stdout.Split('\n')[0], Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z one$"));

        long future = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var since = await Api.GetAsync($"/v1.50/containers/{id}/logs?stdout=1&stderr=1&since={future}.000000000");
        Assert.That(since.Body, Is.Empty);
        var until = await Api.GetAsync($"/v1.50/containers/{id}/logs?stdout=1&stderr=1&until=1000");
        Assert.That(until.Body, Is.Empty);

        var noStream = await Api.GetAsync($"/v1.50/containers/{id}/logs");
        Assert.That(noStream.Status, Is.EqualTo(400));
        await Api.DeleteAsync($"/v1.50/containers/{id}");
    }

    [Test]
    public async Task FollowStreamsNewLinesUntilTheRunEnds()
    {
        string id = await CreateAsync(UniqueName("follow"), "sh", "-c", "for i in 1 2 3; do echo line $i; sleep 0.3; done");
        await Api.PostAsync($"/v1.50/containers/{id}/start");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var response = await Api.Http.GetAsync($"/v1.50/containers/{id}/logs?stdout=1&stderr=1&follow=1", cts.Token);
        Assert.That(response.StatusCode, Is.EqualTo(200));
        var (stdout, _) = await StdCopyReader.DemultiplexAsync(response.Body).WaitAsync(cts.Token);
        Assert.That(stdout, Is.EqualTo("line 1\nline 2\nline 3\n"), "the stream ends by itself when the container exits");
        await Api.DeleteAsync($"/v1.50/containers/{id}");
    }

    [Test]
    public async Task AFollowerThatGoesAwayIsForgotten()
    {
        string id = await CreateAsync(UniqueName("ticker"), "sh", "-c", "while true; do echo tick; sleep 0.1; done");
        await Api.PostAsync($"/v1.50/containers/{id}/start");
        using (var raw = RawConnection.Open(Daemon.SocketPath))
        {
            await raw.SendAsync($"GET /v1.50/containers/{id}/logs?stdout=1&follow=1 HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.That(await raw.ReadUntilAsync("tick"), Does.Contain("tick"));
        }
        Assert.That((await Api.DeleteAsync($"/v1.50/containers/{id}?force=1")).Status, Is.EqualTo(204));
        Assert.That((await Api.GetAsync("/_ping")).Status, Is.EqualTo(200));
    }

    [Test]
    public async Task AClientThatDoesNotReadIsCutOffWithoutStallingTheContainer()
    {
        // About 20 MB of output to an attached client that never reads: the container must still finish.
        string id = await CreateAsync(UniqueName("flood"), "sh", "-c", "head -c 20000000 /dev/zero | tr '\\0' x; echo; echo end");
        var request = new HttpClientRequest("POST", $"/v1.50/containers/{id}/attach?stdout=1&stream=1");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var stream = await Api.Http.HijackAsync(request, cts.Token);
        stream.CloseWrite();
        await Api.PostAsync($"/v1.50/containers/{id}/start");
        var wait = await Api.PostAsync($"/v1.50/containers/{id}/wait").WaitAsync(cts.Token);
        Assert.That(wait.Json.GetProperty("StatusCode").GetInt32(), Is.Zero);
        var logs = await Api.GetAsync($"/v1.50/containers/{id}/logs?stdout=1&tail=1");
        Assert.That((await StdCopyReader.DemultiplexAsync(logs.Body)).Stdout, Is.EqualTo("end\n"));
        Assert.That(Daemon.Log, Does.Contain("fell more than"), "the daemon dropped the client that did not read");
        await Api.DeleteAsync($"/v1.50/containers/{id}?force=1");
    }
}
