using System.Text.Json;
using Berth.Api.Tests.Infrastructure;
using Berth.Http;
using NUnit.Framework;

namespace Berth.Api.Tests.Api;

/// <summary>Images over the socket: load (JSON message stream), list, inspect, tag, remove, and the pull that is not there yet.</summary>
public sealed class ImageApiTests : DaemonFixture
{
    protected override bool LoadBusybox => false;

    private static Berth.TestImages.TestImageSet Images => Berth.TestImages.TestImages.Ensure();

    private static List<JsonElement> Messages(ApiResponse response) =>
        response.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();

    [Test, Order(1)]
    public async Task LoadAnswersAJsonMessageStreamEndingWithTheLoadedTags()
    {
        var load = await Api.LoadAsync(Images.BusyboxDockerArchive, quiet: true);
        Assert.That(load.Status, Is.EqualTo(200), load.ToString());
        Assert.That(load.Headers["Content-Type"], Is.EqualTo("application/json"));
        var messages = Messages(load);
        Assert.That(messages.Select(m => m.GetProperty("stream").GetString()), Is.EqualTo(new[] { "Loaded image: busybox:latest\n" }));

        var verbose = await Api.LoadAsync(Images.BusyboxOciArchive, quiet: false);
        Assert.That(verbose.Status, Is.EqualTo(200));
        var progress = Messages(verbose);
        Assert.That(progress.Any(m => m.TryGetProperty("progressDetail", out var detail) && detail.GetProperty("total").GetInt64() > 0), Is.True, verbose.Text);
        Assert.That(progress.Last().GetProperty("stream").GetString(), Is.EqualTo("Loaded image: busybox:oci\n"));
    }

    [Test, Order(2)]
    public async Task ABadArchiveIsAnErrorNotACrash()
    {
        var request = new HttpClientRequest("POST", "/v1.50/images/load?quiet=1") { ContentStream = new MemoryStream(new byte[4096]) };
        var response = await Api.SendAsync(request);
        Assert.That(response.Status, Is.EqualTo(400), response.ToString());
        Assert.That(response.Message, Is.Not.Empty);
        var garbage = new HttpClientRequest("POST", "/v1.50/images/load?quiet=1") { ContentStream = new MemoryStream("this is not a tar archive at all"u8.ToArray()) };
        Assert.That((await Api.SendAsync(garbage)).Status, Is.EqualTo(400));
        Assert.That((await Api.GetAsync("/_ping")).Status, Is.EqualTo(200));
    }

    [Test, Order(3)]
    public async Task ListHasEveryRequiredSummaryField()
    {
        var list = await Api.GetAsync("/v1.50/images/json");
        Assert.That(list.Status, Is.EqualTo(200));
        var busybox = list.Json.EnumerateArray().Single(i => i.GetProperty("RepoTags").EnumerateArray().Any(t => t.GetString() == "busybox:latest"));
        Assert.That(busybox.GetProperty("Id").GetString(), Does.Match("^sha256:[0-9a-f]{64}$"));
        Assert.That(busybox.GetProperty("ParentId").GetString(), Is.Empty);
        Assert.That(busybox.GetProperty("RepoDigests").ValueKind, Is.EqualTo(JsonValueKind.Array));
        Assert.That(busybox.GetProperty("Created").ValueKind, Is.EqualTo(JsonValueKind.Number));
        Assert.That(busybox.GetProperty("Size").GetInt64(), Is.GreaterThan(0));
        Assert.That(busybox.GetProperty("SharedSize").GetInt64(), Is.EqualTo(-1));
        Assert.That(busybox.GetProperty("Labels").ValueKind, Is.EqualTo(JsonValueKind.Object));
        Assert.That(busybox.GetProperty("Containers").GetInt64(), Is.Zero);

        var filtered = await Api.GetAsync("/v1.50/images/json?filters=" + Uri.EscapeDataString("""{"reference":{"busy*:lat*":true}}"""));
        Assert.That(filtered.Json.EnumerateArray().Count(), Is.EqualTo(1));
        var none = await Api.GetAsync("/v1.50/images/json?filters=" + Uri.EscapeDataString("""{"reference":{"alpine":true}}"""));
        Assert.That(none.Json.GetArrayLength(), Is.Zero);
        Assert.That((await Api.GetAsync("/v1.50/images/json?filters=" + Uri.EscapeDataString("""{"nope":{"x":true}}"""))).Status, Is.EqualTo(400));
    }

    [Test, Order(4)]
    public async Task InspectByNameIdAndFullReference()
    {
        var inspect = await Api.GetAsync("/v1.50/images/busybox/json");
        Assert.That(inspect.Status, Is.EqualTo(200));
        var json = inspect.Json;
        string id = json.GetProperty("Id").GetString()!;
        Assert.That(json.GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString()), Does.Contain("busybox:latest"));
        Assert.That(json.GetProperty("Architecture").GetString(), Is.EqualTo("amd64"));
        Assert.That(json.GetProperty("Os").GetString(), Is.EqualTo("linux"));
        Assert.That(json.GetProperty("RootFS").GetProperty("Type").GetString(), Is.EqualTo("layers"));
        Assert.That(json.GetProperty("RootFS").GetProperty("Layers").GetArrayLength(), Is.GreaterThan(0));
        Assert.That(json.GetProperty("Config").GetProperty("Cmd").ValueKind, Is.EqualTo(JsonValueKind.Array));
        Assert.That(json.GetProperty("GraphDriver").GetProperty("Name").GetString(), Is.EqualTo("overlay2"));
        Assert.That(json.TryGetProperty("Metadata", out _), Is.True);
        Assert.That(json.TryGetProperty("Size", out _), Is.True);

        Assert.That((await Api.GetAsync($"/v1.50/images/{id}/json")).Status, Is.EqualTo(200));
        Assert.That((await Api.GetAsync($"/v1.50/images/{id[7..19]}/json")).Status, Is.EqualTo(200));
        Assert.That((await Api.GetAsync("/v1.50/images/docker.io/library/busybox:latest/json")).Status, Is.EqualTo(200));
        var missing = await Api.GetAsync("/v1.50/images/nothere:1/json");
        Assert.That(missing.Status, Is.EqualTo(404));
        Assert.That(missing.Message, Is.EqualTo("No such image: nothere:1"));
    }

    [Test, Order(5)]
    public async Task RemoveIs409WhileAContainerUsesTheImage()
    {
        Assert.That((await Api.PostAsync("/v1.50/images/busybox:oci/tag?repo=mine&tag=v1")).Status, Is.EqualTo(201));
        var untag = await Api.DeleteAsync("/v1.50/images/mine:v1");
        Assert.That(untag.Status, Is.EqualTo(200));
        Assert.That(untag.Json[0].GetProperty("Untagged").GetString(), Is.EqualTo("mine:v1"));
        Assert.That((await Api.DeleteAsync("/v1.50/images/busybox:oci")).Status, Is.EqualTo(200));

        string container = await Api.CreateAsync(null, "{\"Image\":\"busybox\",\"Cmd\":[\"true\"]}");
        var conflict = await Api.DeleteAsync("/v1.50/images/busybox");
        Assert.That(conflict.Status, Is.EqualTo(409), conflict.ToString());
        Assert.That(conflict.Message, Does.Contain("must force"));
        Assert.That((await Api.DeleteAsync($"/v1.50/containers/{container}")).Status, Is.EqualTo(204));

        var removed = await Api.DeleteAsync("/v1.50/images/busybox");
        Assert.That(removed.Status, Is.EqualTo(200));
        var items = removed.Json.EnumerateArray().ToList();
        Assert.That(items[0].GetProperty("Untagged").GetString(), Is.EqualTo("busybox:latest"));
        Assert.That(items.Any(i => i.TryGetProperty("Deleted", out var d) && d.GetString()!.StartsWith("sha256:")), Is.True);
        Assert.That((await Api.GetAsync("/v1.50/images/busybox/json")).Status, Is.EqualTo(404));
        Assert.That((await Api.DeleteAsync("/v1.50/images/busybox")).Status, Is.EqualTo(404));
    }

    [Test, Order(6)]
    public async Task PullFromARegistryThatDoesNotAnswerIsAnErrorNamingIt()
    {
        // Pulls are issue 14's (tests/Berth.Registry.Tests, against a real registry); here only the error path.
        var pull = await Api.PostAsync("/v1.50/images/create?fromImage=127.0.0.1%3A1%2Fnothing&tag=latest");
        Assert.That(pull.Status, Is.EqualTo(500), pull.ToString());
        Assert.That(pull.Message, Does.Contain("127.0.0.1:1"));
        Assert.That((await Api.PostAsync("/v1.50/images/create")).Status, Is.EqualTo(400), "fromImage or fromSrc is required");
        Assert.That((await Api.GetAsync("/_ping")).Status, Is.EqualTo(200));
    }
}
