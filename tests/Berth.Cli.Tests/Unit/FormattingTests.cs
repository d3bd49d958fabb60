using System.Text;
using Berth.Api;
using Berth.Cli.Output;
using NUnit.Framework;

namespace Berth.Cli.Tests.Unit;

/// <summary>Output helpers against what docker prints (go-units, text/tabwriter, strconv, encoding/json).</summary>
public sealed class FormattingTests
{
    [TestCase(0.5, "Less than a second")]
    [TestCase(1, "1 second")]
    [TestCase(59, "59 seconds")]
    [TestCase(60, "About a minute")]
    [TestCase(119, "About a minute")]
    [TestCase(120, "2 minutes")]
    [TestCase(59 * 60, "59 minutes")]
    [TestCase(60 * 60, "About an hour")]
    [TestCase(89 * 60, "About an hour")]
    [TestCase(90 * 60, "2 hours")]
    [TestCase(47 * 3600, "47 hours")]
    [TestCase(48 * 3600, "2 days")]
    [TestCase(14 * 86400, "2 weeks")]
    [TestCase(60 * 86400, "2 months")]
    [TestCase(730 * 86400, "2 years")]
    public void HumanDurationIsGoUnits(double seconds, string expected) =>
        Assert.That(HumanUnits.Duration(TimeSpan.FromSeconds(seconds)), Is.EqualTo(expected));

    [TestCase(0, 3, "0B")]
    [TestCase(999, 3, "999B")]
    [TestCase(1000, 3, "1kB")]
    [TestCase(4_261_888, 3, "4.26MB")]
    [TestCase(4_261_888, 4, "4.262MB")]
    [TestCase(999_500, 3, "1e+03kB")]
    [TestCase(4_125_000, 3, "4.12MB")]
    [TestCase(4_135_000, 3, "4.13MB")]
    [TestCase(1_500_000_000, 3, "1.5GB")]
    [TestCase(77_800_000, 3, "77.8MB")]
    [TestCase(123_456_789_012, 4, "123.5GB")]
    public void HumanSizeIsGoUnitsWithPercentG(double size, int precision, string expected) =>
        Assert.That(HumanUnits.Size(size, precision), Is.EqualTo(expected));

    [TestCase(8_192_000_000.0, "7.629GiB")]
    [TestCase(8_000_000_000.0, "7.451GiB")]
    [TestCase(1024, "1KiB")]
    public void BytesSizeUsesBinaryUnits(double size, string expected) =>
        Assert.That(HumanUnits.BytesSize(size), Is.EqualTo(expected));

    [TestCase(0.0001, 3, "0.0001")]
    [TestCase(0.00001234, 3, "1.23e-05")]
    [TestCase(123456.0, 3, "1.23e+05")]
    [TestCase(100.0, 3, "100")]
    [TestCase(2.5, 1, "2")]
    [TestCase(3.5, 1, "4")]
    public void FormatGMatchesGo(double value, int precision, string expected) =>
        Assert.That(GoFloat.FormatG(value, precision), Is.EqualTo(expected));

    [Test]
    public void EmptyTablesHaveDockersHeaders()
    {
        var ps = new TabWriter(10, 3).WriteRow("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
        Assert.That(ps.ToString(), Is.EqualTo("CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n"));
        var images = new TabWriter(10, 3).WriteRow("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
        Assert.That(images.ToString(), Is.EqualTo("REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n"));
    }

    [Test]
    public void PsTableLooksLikeDockers()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var container = new ContainerSummary
        {
            Id = "4b1d7b2a9c3e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd",
            Names = ["/web"],
            Image = "busybox",
            ImageID = "sha256:aaaaaaaaaaaa",
            Command = "sleep 1000",
            Created = 1_700_000_000 - 150,
            State = "running",
            Status = "Up 2 minutes",
        };
        var row = new ContainerRow(container, truncate: true, now);
        var table = new TabWriter(10, 3)
            .WriteRow("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES")
            .WriteRow(row.Id, row.Image, row.Command, row.RunningFor, row.Status, row.Ports, row.Names);
        Assert.That(table.ToString(), Is.EqualTo(
            "CONTAINER ID   IMAGE     COMMAND        CREATED         STATUS         PORTS     NAMES\n" +
            "4b1d7b2a9c3e   busybox   \"sleep 1000\"   2 minutes ago   Up 2 minutes             web\n"));
    }

    [Test]
    public void CommandsAreQuotedAndCutTo20Characters()
    {
        var container = new ContainerSummary { Id = "x", Names = ["/a"], Command = "sh -c 'while true; do date; sleep 1; done'" };
        Assert.That(new ContainerRow(container, true, DateTimeOffset.UnixEpoch).Command, Is.EqualTo("\"sh -c 'while true; …\""));
        Assert.That(new ContainerRow(container, false, DateTimeOffset.UnixEpoch).Command, Is.EqualTo("\"sh -c 'while true; do date; sleep 1; done'\""));
        container.Command = "printf \"a\\tb\"";
        Assert.That(new ContainerRow(container, false, DateTimeOffset.UnixEpoch).Command, Is.EqualTo("\"printf \\\"a\\\\tb\\\"\""));
    }

    [Test]
    public void PsJsonHasDockersFieldsInOrder()
    {
        var container = new ContainerSummary
        {
            Id = "0123456789abcdef", Names = ["/web"], Image = "docker.io/library/busybox:latest", ImageID = "sha256:1",
            Command = "sleep 1000", Created = 0, State = "running", Status = "Up 1 second", Labels = new() { ["b"] = "2", ["a"] = "<1>" },
        };
        string json = new ContainerRow(container, true, DateTimeOffset.FromUnixTimeSeconds(3)).ToJson();
        Assert.That(json, Does.StartWith("{\"Command\":\"\\\"sleep 1000\\\"\",\"CreatedAt\":\"1970-01-01 00:00:00 +0000 UTC\",\"ID\":\"0123456789ab\","
            + "\"Image\":\"busybox:latest\",\"Labels\":\"a=\\u003c1\\u003e,b=2\",\"LocalVolumes\":\"0\",\"Mounts\":\"\",\"Names\":\"web\",\"Networks\":\"\","
            + "\"Platform\":null,\"Ports\":\"\",\"RunningFor\":\"3 seconds ago\",\"Size\":\"0B\",\"State\":\"running\",\"Status\":\"Up 1 second\"}"));
    }

    [Test]
    public void ImagesAreListedPerTagWithDockersSizes()
    {
        var image = new ImageSummary
        {
            Id = "sha256:af4709625109aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            RepoTags = ["busybox:latest", "busybox:1.36", "registry.local:5000/team/app:v1"],
            Created = 1_700_000_000 - 3 * 7 * 86400,
            Size = 4_261_888,
        };
        var rows = ImageRow.For(image, truncate: true, showDigests: false, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)).ToList();
        Assert.That(rows.Select(r => $"{r.Repository} {r.Tag} {r.Id} {r.CreatedSince} {r.Size}"), Is.EqualTo(new[]
        {
            "busybox latest af4709625109 3 weeks ago 4.26MB",
            "busybox 1.36 af4709625109 3 weeks ago 4.26MB",
            "registry.local:5000/team/app v1 af4709625109 3 weeks ago 4.26MB",
        }));
        var dangling = ImageRow.For(new ImageSummary { Id = "sha256:b" }, true, false, DateTimeOffset.UnixEpoch).Single();
        Assert.That((dangling.Repository, dangling.Tag), Is.EqualTo(("<none>", "<none>")));
    }

    [Test]
    public void PortsAreGroupedLikeDocker()
    {
        var ports = new List<Port>
        {
            new() { PrivatePort = 80, Type = "tcp" },
            new() { PrivatePort = 81, Type = "tcp" },
            new() { PrivatePort = 82, Type = "tcp" },
            new() { IP = "0.0.0.0", PrivatePort = 443, PublicPort = 8443, Type = "tcp" },
            new() { PrivatePort = 53, Type = "udp" },
        };
        Assert.That(PortList.Format(ports), Is.EqualTo("53/udp, 80-82/tcp, 0.0.0.0:8443->443/tcp"));
    }

    [Test]
    public void IndentIsGosJsonIndent()
    {
        const string raw = "[{\"Id\":\"x\",\"Args\":[],\"Config\":{},\"State\":{\"Running\":true,\"Pid\":12,\"Error\":\"a \\\"b\\\" \\u003c\"},\"List\":[1,2]}]";
        Assert.That(JsonText.Indent(Encoding.UTF8.GetBytes(raw)), Is.EqualTo(
            "[\n    {\n        \"Id\": \"x\",\n        \"Args\": [],\n        \"Config\": {},\n        \"State\": {\n            \"Running\": true,\n"
            + "            \"Pid\": 12,\n            \"Error\": \"a \\\"b\\\" \\u003c\"\n        },\n        \"List\": [\n            1,\n            2\n        ]\n    }\n]"));
        Assert.That(JsonText.Compact(Encoding.UTF8.GetBytes("[ {\"a\" : [ 1 , {} ] ,\n \"b\":\"x y\"} ]\n")), Is.EqualTo("[{\"a\":[1,{}],\"b\":\"x y\"}]"));
    }

    [Test]
    public void GoQuoteAndJsonEscapeLikeGo()
    {
        Assert.That(GoQuote.Quote("a\"b\\c\td\u0001é"), Is.EqualTo("\"a\\\"b\\\\c\\td\\x01é\""));
        Assert.That(GoJson.String("<a&b>\u2028é\n"), Is.EqualTo("\"\\u003ca\\u0026b\\u003e\\u2028é\\n\""));
    }

    [Test]
    public void VersionTextAlignsValuesAtColumn20()
    {
        var server = new SystemVersion
        {
            Platform = new VersionPlatform { Name = "Berth" },
            Version = "0.1.0", ApiVersion = "1.50", MinAPIVersion = "1.40", GoVersion = ".NET 10.0.0", GitCommit = "abc",
            Os = "linux", Arch = "amd64", BuildTime = "2025-05-30T12:07:14.000000000+00:00",
        };
        string text = Commands.VersionCommand.Text("1.50", server);
        Assert.That(text, Does.StartWith("Client:\n Version:           "));
        Assert.That(text, Does.Contain("\nServer: Berth\n Engine:\n  Version:          0.1.0\n  API version:      1.50 (minimum version 1.40)\n"));
        Assert.That(text, Does.Contain("  Built:            Fri May 30 12:07:14 2025\n"));
        Assert.That(Commands.VersionCommand.Text("1.41", null), Does.Contain(" API version:       1.41 (downgraded from 1.50)\n"));
    }

    [Test]
    public void UnixTimesPrintLikeGoTimeString() =>
        Assert.That(GoTime.UnixString(1_748_607_234, TimeZoneInfo.Utc), Is.EqualTo("2025-05-30 12:13:54 +0000 UTC"));

    [Test]
    public void EllipsisCutsToTheWidth()
    {
        Assert.That(TextEllipsis.Truncate("abcdef", 4), Is.EqualTo("abc…"));
        Assert.That(TextEllipsis.Truncate("abcd", 4), Is.EqualTo("abcd"));
        Assert.That(TextEllipsis.Truncate("abcd", 1), Is.EqualTo("a"));
    }
}
