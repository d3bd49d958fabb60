using Berth.Cli.Api.Wire;
using Berth.Cli.Output;
using NUnit.Framework;

namespace Berth.Cli.Tests.Unit;

/// <summary>docker events' pretty line and its --format json, as cli/command/system/events.go prints them.</summary>
public sealed class EventLineTests
{
    private static EventMessage Create() => new()
    {
        Status = "create", Id = "abc", From = "busybox", Type = "container", Action = "create", Scope = "local",
        Actor = new EventActor { ID = "abc", Attributes = new() { ["name"] = "web", ["image"] = "busybox" } },
        Time = 1735787045, TimeNano = 1735787045_123456789,
    };

    [Test]
    public void ThePrettyLineHasNanosecondsAndSortedAttributes()
    {
        Assert.That(EventLine.Pretty(Create(), TimeZoneInfo.Utc), Is.EqualTo("2025-01-02T03:04:05.123456789Z container create abc (image=busybox, name=web)"));
    }

    [Test]
    public void TheTimeIsLocalWithItsOffsetAndFallsBackToSeconds()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2");
        var message = Create();
        message.TimeNano = 0;
        message.Actor.Attributes = null;
        Assert.That(EventLine.Pretty(message, zone), Is.EqualTo("2025-01-02T05:04:05.000000000+02:00 container create abc"));
        message.Time = 0;
        Assert.That(EventLine.Pretty(message, zone), Is.EqualTo("container create abc"));
    }

    [Test]
    public void JsonFollowsGosFieldOrderWithoutHtmlEscaping()
    {
        var message = Create();
        message.Actor.Attributes!["a<b"] = "x&y";
        Assert.That(EventLine.Json(message), Is.EqualTo(
            "{\"status\":\"create\",\"id\":\"abc\",\"from\":\"busybox\",\"Type\":\"container\",\"Action\":\"create\","
            + "\"Actor\":{\"ID\":\"abc\",\"Attributes\":{\"a<b\":\"x&y\",\"image\":\"busybox\",\"name\":\"web\"}},"
            + "\"scope\":\"local\",\"time\":1735787045,\"timeNano\":1735787045123456789}"));
        var plain = new EventMessage { Type = "network", Action = "connect", Actor = new EventActor { ID = "n" } };
        Assert.That(EventLine.Json(plain), Is.EqualTo("{\"Type\":\"network\",\"Action\":\"connect\",\"Actor\":{\"ID\":\"n\",\"Attributes\":null},\"scope\":\"\",\"time\":0,\"timeNano\":0}"));
    }
}
