using NUnit.Framework;

namespace Berth.Api.Tests.Infrastructure;

/// <summary>A fixture with its own berthd (started once) and, unless told otherwise, busybox:latest loaded.</summary>
[NonParallelizable]
public abstract class DaemonFixture
{
    protected BerthDaemon Daemon { get; private set; } = null!;

    protected ApiClient Api { get; private set; } = null!;

    protected virtual bool LoadBusybox => true;

    [OneTimeSetUp]
    public async Task StartDaemon()
    {
        Daemon = await BerthDaemon.StartAsync();
        Api = Daemon.Client();
        if (LoadBusybox)
        {
            var load = await Api.LoadAsync(Berth.TestImages.TestImages.Ensure().BusyboxDockerArchive);
            Assert.That(load.Status, Is.EqualTo(200), load.ToString());
        }
    }

    [OneTimeTearDown]
    public async Task StopDaemon()
    {
        if (Api is not null)
            await Api.DisposeAsync();
        if (Daemon is not null)
            await Daemon.DisposeAsync();
    }

    /// <summary>A container name unique within the fixture.</summary>
    protected static string UniqueName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Creates a busybox container running <paramref name="cmd"/>; returns its id.</summary>
    protected Task<string> CreateAsync(string? name, params string[] cmd) =>
        Api.CreateAsync(name, "{\"Image\":\"busybox\",\"Cmd\":[" + string.Join(',', cmd.Select(c => System.Text.Json.JsonSerializer.Serialize(c))) + "]}");

    /// <summary>Waits (polling inspect) until the container is no longer running.</summary>
    protected async Task WaitUntilExitedAsync(string id)
    {
        for (int i = 0; i < 300; i++)
        {
            var inspect = await Api.GetAsync($"/v1.50/containers/{id}/json");
            if (!inspect.Json.GetProperty("State").GetProperty("Running").GetBoolean())
                return;
            await Task.Delay(100);
        }
        Assert.Fail($"container {id} still running after 30 s");
    }
}
