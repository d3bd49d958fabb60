using System.Text.Json;
using Berth.Api.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Api.Tests.Api;

/// <summary>Restart policies, healthchecks and update through the API, with real containers.</summary>
public sealed class ServiceApiTests : DaemonFixture
{
    private async Task<string> RunAsync(string body)
    {
        string id = await Api.CreateAsync(UniqueName("svc"), body);
        var start = await Api.PostAsync($"/v1.50/containers/{id}/start");
        Assert.That(start.Status, Is.EqualTo(204), start.ToString());
        return id;
    }

    private async Task<JsonElement> InspectAsync(string id) => (await Api.GetAsync($"/v1.50/containers/{id}/json")).Json;

    /// <summary>Polls inspect until <paramref name="done"/> holds (at most 60 s, a bound for a stuck engine, not a timing assert).</summary>
    private async Task<JsonElement> UntilAsync(string id, Func<JsonElement, bool> done, string what)
    {
        for (int i = 0; i < 600; i++)
        {
            var inspect = await InspectAsync(id);
            if (done(inspect))
                return inspect;
            await Task.Delay(100);
        }
        Assert.Fail($"{what}: {await InspectAsync(id)}");
        return default;
    }

    private static string Status(JsonElement inspect) => inspect.GetProperty("State").GetProperty("Status").GetString()!;

    private static int RestartCount(JsonElement inspect) => inspect.GetProperty("RestartCount").GetInt32();

    [Test]
    public async Task OnFailureRestartsNTimesThenStaysExited()
    {
        string id = await RunAsync("{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"exit 3\"],\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":2}}}");
        var inspect = await UntilAsync(id, j => Status(j) == "exited" && RestartCount(j) == 2, "on-failure:2 did not end after two restarts");
        Assert.That(inspect.GetProperty("State").GetProperty("ExitCode").GetInt32(), Is.EqualTo(3));
        Assert.That(inspect.GetProperty("HostConfig").GetProperty("RestartPolicy").GetProperty("Name").GetString(), Is.EqualTo("on-failure"));
        await Api.DeleteAsync($"/v1.50/containers/{id}?force=1");

        string ok = await RunAsync("{\"Image\":\"busybox\",\"Cmd\":[\"true\"],\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"on-failure\"}}}");
        var exited = await UntilAsync(ok, j => Status(j) == "exited", "exit 0 under on-failure");
        Assert.That(RestartCount(exited), Is.Zero, "exit 0 is not a failure");
        await Api.DeleteAsync($"/v1.50/containers/{ok}?force=1");
    }

    [Test]
    public async Task AlwaysRestartsAfterAnyExitUntilTheUserStopsIt()
    {
        string id = await RunAsync("{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"sleep 0.2\"],\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"always\"}}}");
        await UntilAsync(id, j => RestartCount(j) >= 2, "always did not restart after exit 0");
        var stop = await Api.PostAsync($"/v1.50/containers/{id}/stop?t=1");
        Assert.That(stop.Status, Is.EqualTo(204), stop.ToString());
        var stopped = await InspectAsync(id);
        Assert.That(Status(stopped), Is.EqualTo("exited"), "stop is honoured");
        var start = await Api.PostAsync($"/v1.50/containers/{id}/start");
        Assert.That(start.Status, Is.EqualTo(204), start.ToString());
        Assert.That(RestartCount(await InspectAsync(id)), Is.Zero, "a start by the user resets the count");
        Assert.That((await Api.DeleteAsync($"/v1.50/containers/{id}?force=1")).Status, Is.EqualTo(204));
    }

    [Test]
    public async Task RmWithARestartPolicyIsRefused()
    {
        var response = await Api.PostAsync("/v1.50/containers/create", "{\"Image\":\"busybox\",\"HostConfig\":{\"AutoRemove\":true,\"RestartPolicy\":{\"Name\":\"always\"}}}");
        Assert.That(response.Status, Is.EqualTo(400), response.ToString());
        var bad = await Api.PostAsync("/v1.50/containers/create", "{\"Image\":\"busybox\",\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"sometimes\"}}}");
        Assert.That(bad.Status, Is.EqualTo(400), bad.ToString());
    }

    [Test]
    public async Task HealthFollowsAMarkerFile()
    {
        string id = await RunAsync("{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"touch /ok; exec sleep 1000\"],"
            + "\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"test -f /ok && echo fine\"],\"Interval\":100000000,\"Retries\":2}}");
        var healthy = await UntilAsync(id, j => j.GetProperty("State").TryGetProperty("Health", out var h) && h.GetProperty("Status").GetString() == "healthy", "never healthy");
        var log = healthy.GetProperty("State").GetProperty("Health").GetProperty("Log");
        Assert.That(log[log.GetArrayLength() - 1].GetProperty("Output").GetString(), Does.Contain("fine"));
        var list = await Api.GetAsync("/v1.50/containers/json?filters=" + Uri.EscapeDataString("{\"health\":[\"healthy\"]}"));
        var mine = list.Json.EnumerateArray().Single(c => c.GetProperty("Id").GetString() == id);
        Assert.That(mine.GetProperty("Status").GetString(), Does.EndWith("(healthy)"));

        var exec = await Api.PostAsync($"/v1.50/containers/{id}/exec", "{\"Cmd\":[\"rm\",\"/ok\"]}");
        string execId = exec.Json.GetProperty("Id").GetString()!;
        Assert.That((await Api.PostAsync($"/v1.50/exec/{execId}/start", "{\"Detach\":true}")).Status, Is.EqualTo(200).Or.EqualTo(204));
        var unhealthy = await UntilAsync(id, j => j.GetProperty("State").GetProperty("Health").GetProperty("Status").GetString() == "unhealthy", "never unhealthy");
        var health = unhealthy.GetProperty("State").GetProperty("Health");
        Assert.That(health.GetProperty("FailingStreak").GetInt32(), Is.GreaterThanOrEqualTo(2));
        Assert.That(health.GetProperty("Log").GetArrayLength(), Is.InRange(1, 5));
        var none = await Api.GetAsync("/v1.50/containers/json?filters=" + Uri.EscapeDataString("{\"health\":[\"none\"]}"));
        Assert.That(none.Json.EnumerateArray().Any(c => c.GetProperty("Id").GetString() == id), Is.False);
        await Api.DeleteAsync($"/v1.50/containers/{id}?force=1");
    }

    [Test]
    public async Task UpdateRewritesTheCgroupOfARunningContainer()
    {
        string id = await RunAsync("{\"Image\":\"busybox\",\"Cmd\":[\"sleep\",\"1000\"],\"HostConfig\":{\"Memory\":67108864,\"PidsLimit\":100}}");
        int pid = (await InspectAsync(id)).GetProperty("State").GetProperty("Pid").GetInt32();
        var update = await Api.PostAsync($"/v1.50/containers/{id}/update", "{\"Memory\":134217728,\"PidsLimit\":50,\"RestartPolicy\":{\"Name\":\"unless-stopped\"}}");
        Assert.That(update.Status, Is.EqualTo(200), update.ToString());
        Assert.That(update.Json.TryGetProperty("Warnings", out _), Is.True);
        Assert.That(CgroupValue(pid, "memory", "memory.limit_in_bytes", "memory.max"), Is.EqualTo("134217728"));
        Assert.That(CgroupValue(pid, "pids", "pids.max", "pids.max"), Is.EqualTo("50"));
        var host = (await InspectAsync(id)).GetProperty("HostConfig");
        Assert.That(host.GetProperty("Memory").GetInt64(), Is.EqualTo(134217728));
        Assert.That(host.GetProperty("PidsLimit").GetInt64(), Is.EqualTo(50));
        Assert.That(host.GetProperty("RestartPolicy").GetProperty("Name").GetString(), Is.EqualTo("unless-stopped"));

        var tooSmall = await Api.PostAsync($"/v1.50/containers/{id}/update", "{\"Memory\":1024}");
        Assert.That(tooSmall.Status, Is.EqualTo(400), tooSmall.ToString());
        Assert.That((await Api.PostAsync("/v1.50/containers/nope/update", "{\"Memory\":134217728}")).Status, Is.EqualTo(404));
        await Api.DeleteAsync($"/v1.50/containers/{id}?force=1");
    }

    /// <summary>A limit file of the cgroup the process is in: v1's controller hierarchy, or the unified one on a v2 host.</summary>
    private static string CgroupValue(int pid, string controller, string v1File, string v2File)
    {
        var lines = File.ReadAllLines($"/proc/{pid}/cgroup").Select(l => l.Split(':', 3)).ToList();
        if (lines.FirstOrDefault(p => p[1].Split(',').Contains(controller)) is { } v1)
            return File.ReadAllText($"/sys/fs/cgroup/{v1[1]}{v1[2]}/{v1File}").Trim();
        var unified = lines.Single(p => p[0] == "0" && p[1] == "");
        return File.ReadAllText($"/sys/fs/cgroup{unified[2]}/{v2File}").Trim();
    }
}
