using Berth.Daemon.Api;
using Berth.Engine.Events;
using Berth.Http;
using NUnit.Framework;

namespace Berth.Api.Tests.Unit;

/// <summary>The filters of GET /events, as moby's daemon/events/filter.go applies them.</summary>
public sealed class EventFilterTests
{
    private const string Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static EngineEvent Container(string action, string name = "web", string image = "busybox", string? label = null)
    {
        var attributes = new Dictionary<string, string> { ["name"] = name, ["image"] = image };
        if (label is not null)
            attributes[label.Split('=')[0]] = label.Split('=')[1];
        return new EngineEvent("container", action, Id, attributes, 1);
    }

    private static EngineEvent Image(string action, string name) =>
        new("image", action, "sha256:" + Id, new Dictionary<string, string> { ["name"] = name }, 1);

    private static bool Matches(string filters, EngineEvent e) => EventFilter.Parse(filters).Matches(e);

    [Test]
    public void NoFilterMatchesEverything()
    {
        Assert.That(Matches("", Container("start")), Is.True);
        Assert.That(Matches("", Image("load", "busybox:latest")), Is.True);
    }

    [Test]
    public void ContainerMatchesIdOrNameByPrefixAndOnlyContainers()
    {
        Assert.That(Matches("""{"container":{"web":true}}""", Container("start")), Is.True);
        Assert.That(Matches("""{"container":["0123456789"]}""", Container("start")), Is.True);
        Assert.That(Matches("""{"container":["db"]}""", Container("start")), Is.False);
        Assert.That(Matches("""{"container":["busybox"]}""", Image("tag", "busybox:latest")), Is.False);
    }

    [Test]
    public void EventIsExactButExecActionsArePrefixes()
    {
        Assert.That(Matches("""{"event":["die"]}""", Container("die")), Is.True);
        Assert.That(Matches("""{"event":["die"]}""", Container("destroy")), Is.False);
        Assert.That(Matches("""{"event":["exec_start"]}""", Container("exec_start: sh -c true")), Is.True);
        Assert.That(Matches("""{"event":["exec_start: sh"]}""", Container("exec_start: sh -c true")), Is.False);
    }

    [Test]
    public void TypeImageAndLabel()
    {
        Assert.That(Matches("""{"type":["image"]}""", Image("load", "busybox:latest")), Is.True);
        Assert.That(Matches("""{"type":["image"]}""", Container("start")), Is.False);
        Assert.That(Matches("""{"image":["busybox"]}""", Container("start", image: "busybox:latest")), Is.True, "the tag is stripped");
        Assert.That(Matches("""{"image":["busybox:latest"]}""", Image("load", "busybox:latest")), Is.True);
        Assert.That(Matches("""{"image":["alpine"]}""", Container("start")), Is.False);
        Assert.That(Matches("""{"image":["localhost:5000/app"]}""", Container("start", image: "localhost:5000/app:v1")), Is.True);
        Assert.That(Matches("""{"label":["team=blue"]}""", Container("start", label: "team=blue")), Is.True);
        Assert.That(Matches("""{"label":["team"]}""", Container("start", label: "team=red")), Is.True);
        Assert.That(Matches("""{"label":["team=blue"]}""", Container("start", label: "team=red")), Is.False);
        Assert.That(Matches("""{"scope":["swarm"]}""", Container("start")), Is.False);
    }

    [Test]
    public void AnUnknownFilterIsRefused()
    {
        var e = Assert.Throws<ApiException>(() => EventFilter.Parse("""{"colour":["red"]}"""))!;
        Assert.That(e.StatusCode, Is.EqualTo(400));
        Assert.That(e.Message, Is.EqualTo("invalid filter 'colour'"));
    }
}
