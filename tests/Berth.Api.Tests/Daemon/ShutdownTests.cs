using Berth.Api.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Api.Tests.Daemon;

/// <summary>SIGTERM with work in progress: running containers, a pending /wait, a logs -f stream and an attach.</summary>
[NonParallelizable]
public sealed class ShutdownTests
{
    [Test]
    public async Task SigtermStopsTheContainersEndsTheStreamsAndExitsZero()
    {
        var daemon = await BerthDaemon.StartAsync();
        try
        {
            int pid;
            string id;
            await using (var api = daemon.Client())
            {
                Assert.That((await api.LoadAsync(Berth.TestImages.TestImages.Ensure().BusyboxDockerArchive)).Status, Is.EqualTo(200));
                id = await api.CreateAsync("busy", "{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"while true; do echo tick; sleep 0.2; done\"]}");
                Assert.That((await api.PostAsync($"/v1.50/containers/{id}/start")).Status, Is.EqualTo(204));
                pid = (await api.GetAsync($"/v1.50/containers/{id}/json")).Json.GetProperty("State").GetProperty("Pid").GetInt32();
            }
            using var wait = RawConnection.Open(daemon.SocketPath);
            await wait.SendAsync($"POST /v1.50/containers/{id}/wait HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
            await wait.ReadUntilAsync("\r\n\r\n");
            using var follow = RawConnection.Open(daemon.SocketPath);
            await follow.SendAsync($"GET /v1.50/containers/{id}/logs?stdout=1&follow=1 HTTP/1.1\r\nHost: x\r\n\r\n");
            await follow.ReadUntilAsync("tick");
            using var attach = RawConnection.Open(daemon.SocketPath);
            await attach.SendAsync($"POST /v1.50/containers/{id}/attach?stdout=1&stream=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n");
            await attach.ReadUntilAsync("tick");

            int exitCode = await daemon.StopAsync();
            Assert.That(exitCode, Is.Zero, daemon.Log);
            Assert.That(File.Exists($"/proc/{pid}/status") && !File.ReadAllText($"/proc/{pid}/status").Contains("State:\tZ", StringComparison.Ordinal), Is.False, "the container was stopped");
            foreach (var connection in new[] { wait, follow, attach })
            {
                string before = connection.Text;
                await connection.ReadForAsync(TimeSpan.FromSeconds(5));
                Assert.That(connection.ReadEnded, Is.True, "every stream was closed: " + before);
            }
        }
        finally
        {
            await daemon.DisposeAsync();
        }
    }
}
