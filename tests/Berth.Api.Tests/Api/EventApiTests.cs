using System.Globalization;
using System.Text;
using System.Text.Json;
using Berth.Api.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Api.Tests.Api;

/// <summary>GET /events: past events between since and until, live events, the filters, image events.</summary>
public sealed class EventApiTests : DaemonFixture
{
    private static string Seconds(DateTimeOffset time) =>
        (time.ToUnixTimeMilliseconds() / 1000.0).ToString("F3", CultureInfo.InvariantCulture);

    private static string Filters(string json) => Uri.EscapeDataString(json);

    private static List<JsonElement> Lines(ApiResponse response) =>
        response.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    /// <summary>Runs a container to its end and removes it; returns its id and the times just before and after.</summary>
    private async Task<(string Id, DateTimeOffset Since, DateTimeOffset Until)> RunOnceAsync(string name, string labels = "{}")
    {
        var since = DateTimeOffset.UtcNow.AddMilliseconds(-5);
        string id = await Api.CreateAsync(name, $$"""{"Image":"busybox","Cmd":["sh","-c","exit 2"],"Labels":{{labels}}}""");
        await Api.PostAsync($"/v1.50/containers/{id}/start");
        await Api.PostAsync($"/v1.50/containers/{id}/wait");
        await Api.DeleteAsync($"/v1.50/containers/{id}");
        return (id, since, DateTimeOffset.UtcNow.AddMilliseconds(5));
    }

    [Test]
    public async Task PastEventsOfAContainerInOrderThenTheStreamEnds()
    {
        string name = UniqueName("past");
        var (id, since, until) = await RunOnceAsync(name);
        await Task.Delay(10); // until is in the past
        var response = await Api.GetAsync($"/v1.50/events?since={Seconds(since)}&until={Seconds(until)}&filters={Filters($$$"""{"container":{"{{{id}}}":true}}""")}");
        Assert.That(response.Status, Is.EqualTo(200), response.ToString());
        Assert.That(response.Headers["Content-Type"], Is.EqualTo("application/json"));
        var events = Lines(response);
        Assert.That(events.Select(e => e.GetProperty("Action").GetString()), Is.EqualTo(new[] { "create", "start", "die", "destroy" }));
        var die = events[2];
        Assert.That(die.GetProperty("Type").GetString(), Is.EqualTo("container"));
        Assert.That(die.GetProperty("Actor").GetProperty("ID").GetString(), Is.EqualTo(id));
        var attributes = die.GetProperty("Actor").GetProperty("Attributes");
        Assert.That(attributes.GetProperty("name").GetString(), Is.EqualTo(name));
        Assert.That(attributes.GetProperty("image").GetString(), Is.EqualTo("busybox"));
        Assert.That(attributes.GetProperty("exitCode").GetString(), Is.EqualTo("2"));
        Assert.That(die.GetProperty("scope").GetString(), Is.EqualTo("local"));
        Assert.That((die.GetProperty("status").GetString(), die.GetProperty("id").GetString(), die.GetProperty("from").GetString()), Is.EqualTo(("die", id, "busybox")), "the legacy fields");
        long timeNano = die.GetProperty("timeNano").GetInt64();
        Assert.That(die.GetProperty("time").GetInt64(), Is.EqualTo(timeNano / 1_000_000_000));
        Assert.That(timeNano, Is.InRange(since.ToUnixTimeMilliseconds() * 1_000_000, until.ToUnixTimeMilliseconds() * 1_000_000));

        var byName = Lines(await Api.GetAsync($"/v1.50/events?since={Seconds(since)}&until={Seconds(until)}&filters={Filters($$"""{"container":["{{name}}"],"event":["die"]}""")}"));
        Assert.That(byName.Select(e => e.GetProperty("Action").GetString()), Is.EqualTo(new[] { "die" }));
        var byPrefix = Lines(await Api.GetAsync($"/v1.50/events?since={Seconds(since)}&until={Seconds(until)}&filters={Filters($$$"""{"container":{"{{{id[..10]}}}":true},"type":{"container":true}}""")}"));
        Assert.That(byPrefix, Has.Count.EqualTo(4));
        var rfc3339 = await Api.GetAsync($"/v1.50/events?since={Uri.EscapeDataString(since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))}&until={Seconds(until)}&filters={Filters($$$"""{"container":{"{{{id}}}":true}}""")}");
        Assert.That(Lines(rfc3339), Has.Count.EqualTo(4));
    }

    [Test]
    public async Task LabelImageAndTypeFilters()
    {
        string labelled = UniqueName("labelled");
        var (_, since, _) = await RunOnceAsync(labelled, """{"team":"blue"}""");
        string other = UniqueName("other");
        var (_, _, until) = await RunOnceAsync(other);
        await Task.Delay(10);
        string window = $"since={Seconds(since)}&until={Seconds(until)}";

        var blue = Lines(await Api.GetAsync($"/v1.50/events?{window}&filters={Filters("""{"label":["team=blue"]}""")}"));
        Assert.That(blue.Select(e => e.GetProperty("Actor").GetProperty("Attributes").GetProperty("name").GetString()).Distinct(), Is.EqualTo(new[] { labelled }));
        var anyTeam = Lines(await Api.GetAsync($"/v1.50/events?{window}&filters={Filters("""{"label":["team"]}""")}"));
        Assert.That(anyTeam, Has.Count.EqualTo(blue.Count));
        var image = Lines(await Api.GetAsync($"/v1.50/events?{window}&filters={Filters("""{"image":["busybox"],"event":["start"]}""")}"));
        Assert.That(image, Has.Count.EqualTo(2), "both containers come from busybox");
        var images = Lines(await Api.GetAsync($"/v1.50/events?{window}&filters={Filters("""{"type":["image"]}""")}"));
        Assert.That(images, Is.Empty);
    }

    [Test]
    public async Task ImageEventsFromLoadTagAndRemove()
    {
        var since = DateTimeOffset.UtcNow.AddMilliseconds(-5);
        string tag = "evtag" + Guid.NewGuid().ToString("N")[..6];
        Assert.That((await Api.PostAsync($"/v1.50/images/busybox/tag?repo=busybox&tag={tag}")).Status, Is.EqualTo(201));
        Assert.That((await Api.DeleteAsync($"/v1.50/images/busybox:{tag}")).Status, Is.EqualTo(200));
        var until = DateTimeOffset.UtcNow.AddMilliseconds(5);
        await Task.Delay(10);
        // Other fixtures load busybox in parallel, so only this tag's events are compared.
        var events = Lines(await Api.GetAsync($"/v1.50/events?since={Seconds(since)}&until={Seconds(until)}&filters={Filters("""{"type":["image"]}""")}"))
            .Where(e => e.GetProperty("Actor").GetProperty("Attributes").GetProperty("name").GetString() == $"busybox:{tag}").ToList();
        Assert.That(events.Select(e => (e.GetProperty("Action").GetString(), e.GetProperty("Actor").GetProperty("Attributes").GetProperty("name").GetString())),
            Is.EqualTo(new[] { ("tag", $"busybox:{tag}"), ("untag", $"busybox:{tag}") }));
        Assert.That(events.All(e => e.GetProperty("Actor").GetProperty("ID").GetString()!.StartsWith("sha256:", StringComparison.Ordinal)), Is.True);
        Assert.That(events[0].GetProperty("status").GetString(), Is.EqualTo("tag"));

        var load = Lines(await Api.GetAsync($"/v1.50/events?until={Seconds(until)}&filters={Filters("""{"type":["image"],"event":["load"]}""")}"));
        Assert.That(load.Select(e => e.GetProperty("Actor").GetProperty("Attributes").GetProperty("name").GetString()), Does.Contain("busybox:latest"), "the fixture's load, replayed with until alone");
    }

    [Test]
    public async Task LiveEventsArriveAsTheyHappen()
    {
        using var raw = RawConnection.Open(Daemon.SocketPath);
        string name = UniqueName("live");
        await raw.SendAsync($"GET /v1.50/events?filters={Filters($$"""{"container":["{{name}}"]}""")} HTTP/1.1\r\nHost: x\r\n\r\n");
        string head = await raw.ReadUntilAsync("\r\n\r\n");
        Assert.That(head, Does.StartWith("HTTP/1.1 200 ").And.Contain("Transfer-Encoding: chunked"), "the head goes out before any event");
        string id = await CreateAsync(name, "true");
        string text = await raw.ReadUntilAsync("\"Action\":\"create\"");
        Assert.That(text, Does.Contain(id));
        await Api.DeleteAsync($"/v1.50/containers/{id}");
        Assert.That(await raw.ReadUntilAsync("\"Action\":\"destroy\""), Does.Contain("destroy"));
    }

    [Test]
    public async Task LiveEventsEndAtUntil()
    {
        var until = DateTimeOffset.UtcNow.AddMilliseconds(500);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var response = await Api.Http.GetAsync($"/v1.50/events?until={Seconds(until)}&filters={Filters("""{"type":["network"]}""")}", cts.Token);
        Assert.That(response.StatusCode, Is.EqualTo(200));
        string body = Encoding.UTF8.GetString(await response.ReadAsBytesAsync(cts.Token));
        Assert.That(body, Is.Empty, "no network events; the stream ended by itself at until");
    }

    [Test]
    public async Task Errors()
    {
        var unknown = await Api.GetAsync($"/v1.50/events?until=1&filters={Filters("""{"bogus":["x"]}""")}");
        Assert.That(unknown.Status, Is.EqualTo(400));
        Assert.That(unknown.Message, Is.EqualTo("invalid filter 'bogus'"));
        var reversed = await Api.GetAsync("/v1.50/events?since=2000&until=1000");
        Assert.That(reversed.Status, Is.EqualTo(400));
        Assert.That((await Api.GetAsync("/v1.50/events?since=yesterday&until=1")).Status, Is.EqualTo(400));
        Assert.That((await Api.GetAsync("/v1.50/events?until=1&filters=notjson")).Status, Is.EqualTo(400));
    }
}
