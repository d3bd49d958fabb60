using Berth.Api.Tests.Infrastructure;
using Berth.Api.Tests.Unit;
using NUnit.Framework;

namespace Berth.Api.Tests.Api;

/// <summary>Container create, inspect, list, start, stop, kill, remove and prune over the socket (podman apiv2 style).</summary>
public sealed class ContainerApiTests : DaemonFixture
{
    [Test]
    public async Task CreateTakesTheCliBodyAndInspectShowsTheWholeShape()
    {
        string name = UniqueName("cli");
        string body = CreateRequestMapperTests.CliBody.Replace("\"Binds\":[\"/tmp:/x:ro\"]", "\"Binds\":null").Replace("\"AutoRemove\":true", "\"AutoRemove\":false");
        var create = await Api.PostAsync($"/v1.50/containers/create?name={name}", body);
        Assert.That(create.Status, Is.EqualTo(201), create.ToString());
        string id = create.Json.GetProperty("Id").GetString()!;
        Assert.That(id, Does.Match("^[0-9a-f]{64}$"));
        Assert.That(create.Json.GetProperty("Warnings").GetArrayLength(), Is.Zero);

        var inspect = await Api.GetAsync($"/containers/{name}/json");
        Assert.That(inspect.Status, Is.EqualTo(200));
        var json = inspect.Json;
        Assert.That(json.GetProperty("Id").GetString(), Is.EqualTo(id));
        Assert.That(json.GetProperty("Name").GetString(), Is.EqualTo("/" + name));
        Assert.That(json.GetProperty("Created").GetString(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$"));
        Assert.That(json.GetProperty("Path").GetString(), Is.EqualTo("sh"));
        Assert.That(json.GetProperty("Image").GetString(), Does.StartWith("sha256:"));
        Assert.That(json.GetProperty("Driver").GetString(), Is.EqualTo("overlay2"));
        Assert.That(json.GetProperty("Platform").GetString(), Is.EqualTo("linux"));
        Assert.That(json.GetProperty("RestartCount").GetInt32(), Is.Zero);
        Assert.That(json.GetProperty("LogPath").GetString(), Does.StartWith(Daemon.DataRoot));
        var state = json.GetProperty("State");
        Assert.That(state.GetProperty("Status").GetString(), Is.EqualTo("created"));
        Assert.That(state.GetProperty("Running").GetBoolean(), Is.False);
        Assert.That(state.GetProperty("StartedAt").GetString(), Is.EqualTo("0001-01-01T00:00:00Z"));
        Assert.That(state.GetProperty("FinishedAt").GetString(), Is.EqualTo("0001-01-01T00:00:00Z"));
        foreach (string field in new[] { "Paused", "Restarting", "OOMKilled", "Dead", "Pid", "ExitCode", "Error" })
            Assert.That(state.TryGetProperty(field, out _), Is.True, field);
        var config = json.GetProperty("Config");
        Assert.That(config.GetProperty("Image").GetString(), Is.EqualTo("busybox"));
        Assert.That(config.GetProperty("Tty").GetBoolean(), Is.False);
        Assert.That(config.GetProperty("OpenStdin").GetBoolean(), Is.True);
        Assert.That(config.GetProperty("Labels").GetProperty("a").GetString(), Is.EqualTo("b"));
        Assert.That(config.GetProperty("Env").EnumerateArray().Select(e => e.GetString()), Does.Contain("A=B"));
        Assert.That(config.GetProperty("StopTimeout").GetInt32(), Is.EqualTo(3));
        var host = json.GetProperty("HostConfig");
        Assert.That(host.GetProperty("Memory").GetInt64(), Is.EqualTo(64L * 1024 * 1024));
        Assert.That(host.GetProperty("CapAdd")[0].GetString(), Is.EqualTo("CAP_NET_ADMIN"));
        Assert.That(host.GetProperty("AutoRemove").GetBoolean(), Is.False);
        Assert.That(host.GetProperty("LogConfig").GetProperty("Type").GetString(), Is.EqualTo("json-file"));
        Assert.That(json.GetProperty("NetworkSettings").GetProperty("Networks").EnumerateObject().Count(), Is.EqualTo(1));
        Assert.That(json.GetProperty("NetworkSettings").TryGetProperty("Ports", out _), Is.True);
        Assert.That(json.GetProperty("GraphDriver").GetProperty("Name").GetString(), Is.EqualTo("overlay2"));
        Assert.That(json.GetProperty("Mounts").GetArrayLength(), Is.Zero);

        Assert.That((await Api.DeleteAsync($"/v1.50/containers/{id}")).Status, Is.EqualTo(204));
    }

    [Test]
    public async Task MalformedJsonIs400()
    {
        var response = await Api.PostAsync("/v1.50/containers/create", "{\"Image\": \"busybox\",");
        Assert.That(response.Status, Is.EqualTo(400));
        Assert.That(response.Message, Does.Contain("invalid JSON"));
        var wrongType = await Api.PostAsync("/v1.50/containers/create", "{\"Image\": 42}");
        Assert.That(wrongType.Status, Is.EqualTo(400));
        var empty = await Api.PostAsync("/v1.50/containers/create");
        Assert.That(empty.Status, Is.EqualTo(400));
        var noImage = await Api.PostAsync("/v1.50/containers/create", "{}");
        Assert.That(noImage.Status, Is.EqualTo(400));
    }

    [Test]
    public async Task AMissingImageIs404SoThatTheCliPulls()
    {
        var response = await Api.PostAsync("/v1.50/containers/create", "{\"Image\":\"missing:1\"}");
        Assert.That(response.Status, Is.EqualTo(404));
        Assert.That(response.Message, Is.EqualTo("No such image: missing:1"));
    }

    [Test]
    public async Task ANameInUseIs409()
    {
        string name = UniqueName("dup");
        string first = await CreateAsync(name, "true");
        var second = await Api.PostAsync($"/v1.50/containers/create?name={name}", "{\"Image\":\"busybox\"}");
        Assert.That(second.Status, Is.EqualTo(409));
        Assert.That(second.Message, Is.EqualTo($"Conflict. The container name \"/{name}\" is already in use by container \"{first}\". You have to remove (or rename) that container to be able to reuse that name."));
        var invalid = await Api.PostAsync("/v1.50/containers/create?name=-bad", "{\"Image\":\"busybox\"}");
        Assert.That(invalid.Status, Is.EqualTo(400));
        await Api.DeleteAsync($"/containers/{first}");
    }

    [Test]
    public async Task UnsupportedHostConfigIsRefusedWith400()
    {
        var ports = await Api.PostAsync("/v1.50/containers/create", "{\"Image\":\"busybox\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}]}}}");
        Assert.That(ports.Status, Is.EqualTo(400));
        Assert.That(ports.Message, Does.Contain("HostConfig.PortBindings"));
        var ulimits = await Api.PostAsync("/v1.50/containers/create", "{\"Image\":\"busybox\",\"HostConfig\":{\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":1,\"Hard\":2}]}}");
        Assert.That(ulimits.Status, Is.EqualTo(400));
        Assert.That(ulimits.Message, Does.Contain("HostConfig.Ulimits"));
    }

    [TestCase("GET", "/v1.50/containers/x/json")]
    [TestCase("POST", "/v1.50/containers/x/start")]
    [TestCase("POST", "/v1.50/containers/x/stop")]
    [TestCase("POST", "/v1.50/containers/x/kill")]
    [TestCase("POST", "/v1.50/containers/x/wait")]
    [TestCase("DELETE", "/v1.50/containers/x")]
    [TestCase("GET", "/v1.50/containers/x/logs?stdout=1")]
    [TestCase("POST", "/v1.50/containers/x/attach?stream=1&stdout=1")]
    public async Task AnUnknownContainerIs404(string method, string path)
    {
        var response = await Api.SendAsync(method, path);
        Assert.That(response.Status, Is.EqualTo(404));
        Assert.That(response.Message, Is.EqualTo("No such container: x"));
    }

    [Test]
    public async Task StartStopAnswer204ThenNotModified()
    {
        string id = await CreateAsync(UniqueName("sleep"), "sleep", "1000");
        Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/start")).Status, Is.EqualTo(204));
        Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/start")).Status, Is.EqualTo(304));
        var inspect = (await Api.GetAsync($"/v1.50/containers/{id}/json")).Json.GetProperty("State");
        Assert.That(inspect.GetProperty("Status").GetString(), Is.EqualTo("running"));
        Assert.That(inspect.GetProperty("Pid").GetInt32(), Is.GreaterThan(0));
        Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/stop?t=1")).Status, Is.EqualTo(204));
        Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/stop")).Status, Is.EqualTo(304));
        var stopped = (await Api.GetAsync($"/v1.50/containers/{id}/json")).Json.GetProperty("State");
        Assert.That(stopped.GetProperty("Status").GetString(), Is.EqualTo("exited"));
        Assert.That(stopped.GetProperty("ExitCode").GetInt32(), Is.EqualTo(143).Or.EqualTo(137));
        Assert.That((await Api.DeleteAsync($"/v1.50/containers/{id}")).Status, Is.EqualTo(204));
        Assert.That((await Api.GetAsync($"/v1.50/containers/{id}/json")).Status, Is.EqualTo(404));
    }

    [Test]
    public async Task RemovingARunningContainerIs409UnlessForced()
    {
        string id = await CreateAsync(UniqueName("busy"), "sleep", "1000");
        await Api.PostAsync($"/v1.50/containers/{id}/start");
        var refused = await Api.DeleteAsync($"/v1.50/containers/{id}");
        Assert.That(refused.Status, Is.EqualTo(409));
        Assert.That(refused.Message, Does.Contain("cannot remove a running container"));
        Assert.That((await Api.DeleteAsync($"/v1.50/containers/{id}?force=1&v=1")).Status, Is.EqualTo(204));
    }

    [Test]
    public async Task KillIs204WhenRunningAnd409WhenNot()
    {
        string id = await CreateAsync(UniqueName("kill"), "sleep", "1000");
        var notRunning = await Api.PostAsync($"/v1.50/containers/{id}/kill");
        Assert.That(notRunning.Status, Is.EqualTo(409));
        Assert.That(notRunning.Message, Does.Contain("is not running"));
        await Api.PostAsync($"/v1.50/containers/{id}/start");
        var badSignal = await Api.PostAsync($"/v1.50/containers/{id}/kill?signal=NOPE");
        Assert.That(badSignal.Status, Is.EqualTo(400));
        Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/kill?signal=KILL")).Status, Is.EqualTo(204));
        var wait = await Api.PostAsync($"/v1.50/containers/{id}/wait");
        Assert.That(wait.Status, Is.EqualTo(200));
        Assert.That(wait.Json.GetProperty("StatusCode").GetInt32(), Is.EqualTo(137));
        var again = await Api.PostAsync($"/v1.50/containers/{id}/kill");
        Assert.That(again.Status, Is.EqualTo(409));
        await Api.DeleteAsync($"/v1.50/containers/{id}");
    }

    [Test]
    public async Task AMissingExecutableFailsTheStartWithTheExecMessage()
    {
        string id = await CreateAsync(UniqueName("nope"), "nope");
        var start = await Api.PostAsync($"/v1.50/containers/{id}/start");
        Assert.That(start.Status, Is.EqualTo(400));
        Assert.That(start.Message, Does.Contain("exec: \"nope\": executable file not found in $PATH"));
        var state = (await Api.GetAsync($"/v1.50/containers/{id}/json")).Json.GetProperty("State");
        Assert.That(state.GetProperty("ExitCode").GetInt32(), Is.EqualTo(127));
        Assert.That(state.GetProperty("Error").GetString(), Does.Contain("executable file not found"));
        await Api.DeleteAsync($"/v1.50/containers/{id}");
    }

    [Test]
    public async Task AFailedStartRemovesAnAutoRemoveContainer()
    {
        string id = await Api.CreateAsync(null, "{\"Image\":\"busybox\",\"Cmd\":[\"nope\"],\"HostConfig\":{\"AutoRemove\":true}}");
        Assert.That((await Api.PostAsync($"/v1.50/containers/{id}/start")).Status, Is.EqualTo(400));
        Assert.That((await Api.GetAsync($"/v1.50/containers/{id}/json")).Status, Is.EqualTo(404));
    }

    [Test]
    public async Task ListShowsRunningOrAllWithDockersFields()
    {
        string up = UniqueName("up");
        string done = UniqueName("done");
        string upId = await Api.CreateAsync(up, "{\"Image\":\"busybox\",\"Cmd\":[\"sleep\",\"1000\"],\"Labels\":{\"tier\":\"web\"},\"ExposedPorts\":{\"80/tcp\":{}}}");
        string doneId = await CreateAsync(done, "true");
        await Api.PostAsync($"/v1.50/containers/{upId}/start");
        await Api.PostAsync($"/v1.50/containers/{doneId}/start");
        await Api.PostAsync($"/v1.50/containers/{doneId}/wait");

        var running = (await Api.GetAsync("/v1.50/containers/json")).Json.EnumerateArray().ToList();
        var upSummary = running.Single(c => c.GetProperty("Id").GetString() == upId);
        Assert.That(running.Any(c => c.GetProperty("Id").GetString() == doneId), Is.False);
        Assert.That(upSummary.GetProperty("Names")[0].GetString(), Is.EqualTo("/" + up));
        Assert.That(upSummary.GetProperty("Image").GetString(), Is.EqualTo("busybox"));
        Assert.That(upSummary.GetProperty("ImageID").GetString(), Does.StartWith("sha256:"));
        Assert.That(upSummary.GetProperty("Command").GetString(), Is.EqualTo("sleep 1000"));
        Assert.That(upSummary.GetProperty("Created").GetInt64(), Is.GreaterThan(1_600_000_000));
        Assert.That(upSummary.GetProperty("State").GetString(), Is.EqualTo("running"));
        Assert.That(upSummary.GetProperty("Status").GetString(), Does.StartWith("Up "));
        Assert.That(upSummary.GetProperty("Labels").GetProperty("tier").GetString(), Is.EqualTo("web"));
        Assert.That(upSummary.GetProperty("Ports")[0].GetProperty("PrivatePort").GetInt32(), Is.EqualTo(80));
        Assert.That(upSummary.GetProperty("HostConfig").GetProperty("NetworkMode").GetString(), Is.Not.Empty);
        Assert.That(upSummary.GetProperty("NetworkSettings").GetProperty("Networks").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Object));
        Assert.That(upSummary.GetProperty("Mounts").GetArrayLength(), Is.Zero);

        var all = (await Api.GetAsync("/v1.50/containers/json?all=1")).Json.EnumerateArray().ToList();
        var doneSummary = all.Single(c => c.GetProperty("Id").GetString() == doneId);
        Assert.That(doneSummary.GetProperty("State").GetString(), Is.EqualTo("exited"));
        Assert.That(doneSummary.GetProperty("Status").GetString(), Does.Match(@"^Exited \(0\) .* ago$"));
        Assert.That(all.SelectMany(c => c.GetProperty("Names").EnumerateArray()).All(n => n.GetString()!.StartsWith('/')), Is.True);

        await Api.DeleteAsync($"/v1.50/containers/{upId}?force=1");
        await Api.DeleteAsync($"/v1.50/containers/{doneId}");
    }

    [Test]
    public async Task ListFiltersByNameIdStatusLabelAndAncestor()
    {
        string name = UniqueName("filtered");
        string id = await Api.CreateAsync(name, "{\"Image\":\"busybox\",\"Cmd\":[\"true\"],\"Labels\":{\"team\":\"blue\"}}");
        async Task<List<string>> Ids(string filters) =>
            (await Api.GetAsync("/v1.50/containers/json?all=1&filters=" + Uri.EscapeDataString(filters))).Json.EnumerateArray().Select(c => c.GetProperty("Id").GetString()!).ToList();

        Assert.That(await Ids("{\"name\":{\"" + name + "\":true}}"), Is.EqualTo(new[] { id }));
        Assert.That(await Ids("{\"name\":[\"" + name[..10] + "\"]}"), Does.Contain(id), "substring (regular expression) match");
        Assert.That(await Ids("{\"id\":{\"" + id[..12] + "\":true}}"), Is.EqualTo(new[] { id }));
        Assert.That(await Ids("""{"status":{"created":true}}"""), Does.Contain(id));
        Assert.That(await Ids("""{"status":{"running":true}}"""), Does.Not.Contain(id));
        Assert.That(await Ids("""{"label":{"team=blue":true}}"""), Is.EqualTo(new[] { id }));
        Assert.That(await Ids("""{"label":{"team":true}}"""), Is.EqualTo(new[] { id }));
        Assert.That(await Ids("""{"label":{"team=red":true}}"""), Is.Empty);
        Assert.That(await Ids("""{"ancestor":{"busybox":true}}"""), Does.Contain(id));
        Assert.That(await Ids("""{"ancestor":{"other:1":true}}"""), Is.Empty);
        var statusOnly = (await Api.GetAsync("/v1.50/containers/json?filters=" + Uri.EscapeDataString("""{"status":["created"]}"""))).Json.EnumerateArray().Select(c => c.GetProperty("Id").GetString()).ToList();
        Assert.That(statusOnly, Does.Contain(id), "a status filter lists stopped containers without all=1");

        Assert.That((await Api.GetAsync("/v1.50/containers/json?filters=" + Uri.EscapeDataString("""{"bogus":{"x":true}}"""))).Status, Is.EqualTo(400));
        Assert.That((await Api.GetAsync("/v1.50/containers/json?filters=" + Uri.EscapeDataString("""{"status":{"sleeping":true}}"""))).Status, Is.EqualTo(400));
        Assert.That((await Api.GetAsync("/v1.50/containers/json?filters=notjson")).Status, Is.EqualTo(400));
        await Api.DeleteAsync($"/v1.50/containers/{id}");
    }

    [Test]
    public async Task PruneRemovesStoppedContainersOnly()
    {
        string stopped = await CreateAsync(UniqueName("prune"), "true");
        string running = await CreateAsync(UniqueName("keep"), "sleep", "1000");
        await Api.PostAsync($"/v1.50/containers/{running}/start");
        var prune = await Api.PostAsync("/v1.50/containers/prune");
        Assert.That(prune.Status, Is.EqualTo(200));
        var deleted = prune.Json.GetProperty("ContainersDeleted").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.That(deleted, Does.Contain(stopped));
        Assert.That(deleted, Does.Not.Contain(running));
        Assert.That(prune.Json.GetProperty("SpaceReclaimed").GetInt64(), Is.GreaterThanOrEqualTo(0));
        Assert.That((await Api.GetAsync($"/v1.50/containers/{stopped}/json")).Status, Is.EqualTo(404));
        Assert.That((await Api.PostAsync("/v1.50/containers/prune?filters=" + Uri.EscapeDataString("""{"bogus":["1"]}"""))).Status, Is.EqualTo(400));
        await Api.DeleteAsync($"/v1.50/containers/{running}?force=1");
    }
}
