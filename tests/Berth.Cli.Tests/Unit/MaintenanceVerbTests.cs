using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Commands;
using Berth.Cli.Options;
using Berth.Cli.Output;
using Berth.Cli.Templates;
using NUnit.Framework;

namespace Berth.Cli.Tests.Unit;

/// <summary>history, system df, the prune verbs and docker's management spellings: parsing and formatting as docker/cli's.</summary>
public sealed class MaintenanceVerbTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    [Test]
    public void HistoryRowsAreDockersHistoryContext()
    {
        var item = new ImageHistoryResponseItem
        {
            Id = "sha256:50962eefabc0ae0aa042c246cde2e6290743c012b6d4999e8998ef60a640b552",
            Created = Now.ToUnixTimeSeconds() - 7200,
            CreatedBy = "/bin/sh -c #(nop)\tCMD [\"sh\"] with a command line longer than forty-five",
            Size = 4_261_888,
            Comment = "note",
        };
        var human = new HistoryRow(item, truncate: true, human: true, Now);
        Assert.That((human.Id, human.CreatedSince, human.Size), Is.EqualTo(("50962eefabc0", "2 hours ago", "4.26MB")));
        Assert.That(human.CreatedBy, Is.EqualTo("/bin/sh -c #(nop) CMD [\"sh\"] with a command …"));
        var raw = new HistoryRow(item, truncate: false, human: false, Now);
        Assert.That((raw.Id, raw.CreatedSince, raw.CreatedAt, raw.Size), Is.EqualTo((item.Id, "2023-11-14T20:13:20Z", "2023-11-14T20:13:20Z", "4261888")));
        Assert.That(raw.CreatedBy, Is.EqualTo(item.CreatedBy.Replace('\t', ' ')));
        Assert.That(human.ToJson(), Does.StartWith("{\"Comment\":\"note\",\"CreatedAt\":\"2023-11-14T20:13:20Z\",\"CreatedBy\":").And.EndWith("\"ID\":\"50962eefabc0\",\"Size\":\"4.26MB\"}"));

        string table = TemplateFormat.Render(HistoryRow.Resolve("", quiet: false, human: true), HistoryRow.Placeholders, [human]);
        Assert.That(table.Split('\n')[0], Is.EqualTo("IMAGE          CREATED       CREATED BY                                      SIZE      COMMENT"));
        Assert.That(HistoryRow.Resolve("table", quiet: false, human: false), Does.Contain("{{.CreatedAt}}"));
        Assert.That(HistoryRow.Resolve("", quiet: true, human: true), Is.EqualTo("{{.ID}}"));
        Assert.That(HistoryRow.Resolve("{{.Size}}", quiet: true, human: true), Is.EqualTo("{{.Size}}"));
    }

    [Test]
    public void DiskUsageCountsActiveAndReclaimableAsDockerDoes()
    {
        var usage = new SystemDataUsageResponse
        {
            LayersSize = 10_000_000,
            Images =
            [
                new ImageSummary { Id = "sha256:a", Size = 6_000_000, SharedSize = 1_000_000, Containers = 2 },
                new ImageSummary { Id = "sha256:b", Size = 4_000_000, SharedSize = 0, Containers = 0 },
            ],
            Containers =
            [
                new ContainerSummary { State = "running", SizeRw = 1_000 },
                new ContainerSummary { State = "exited", SizeRw = 3_000 },
            ],
            Volumes =
            [
                new Volume { Name = "used", UsageData = new VolumeUsageData { Size = 2_000, RefCount = 1 } },
                new Volume { Name = "free", UsageData = new VolumeUsageData { Size = 500, RefCount = 0 } },
                new Volume { Name = "unknown" },
            ],
            BuildCache = [],
        };
        string table = TemplateFormat.Render(@"table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}", DiskUsageRow.Placeholders, DiskUsageRow.For(usage));
        Assert.That(table, Is.EqualTo(
            "TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE\n" +
            "Images          2         1         10MB      5MB (50%)\n" +
            "Containers      2         1         4kB       3kB (75%)\n" +
            "Local Volumes   3         1         2.5kB     500B (20%)\n" +
            "Build Cache     0         0         0B        0B\n"));
        Assert.That(DiskUsageRow.For(usage).First().ToJson(), Is.EqualTo("{\"Active\":\"1\",\"Reclaimable\":\"5MB (50%)\",\"Size\":\"10MB\",\"TotalCount\":\"2\",\"Type\":\"Images\"}"));
    }

    [Test]
    public void SystemPruneWarnsAsDockersTemplate()
    {
        Assert.That(SystemPruneCommand.Warning(FilterArgs.Empty, all: false, volumes: false), Is.EqualTo(
            "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n" +
            "  - all dangling images\n  - unused build cache\n\nAre you sure you want to continue?"));
        var filters = FilterFlags.Parse(["label=a=b", "until=1h", "name=x"]);
        Assert.That(SystemPruneCommand.Warning(filters, all: true, volumes: true), Is.EqualTo(
            "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n" +
            "  - all anonymous volumes not used by at least one container\n  - all images without at least one container associated to them\n" +
            "  - all build cache\n\n  Items to be pruned will be filtered with:\n  - label=a=b\n  - until=1h\n\nAre you sure you want to continue?"));
    }

    [Test]
    public void RepeatedQueryParametersKeepTheirOrder() =>
        Assert.That(new QueryString().Add("names", "b:1").Add("names", "a").Set("all", "1").Filters(FilterArgs.Empty).ToString(),
            Is.EqualTo("?all=1&names=b%3A1&names=a"));

    [TestCase(new[] { "image", "ls", "-q" }, "images")]
    [TestCase(new[] { "image", "list" }, "images")]
    [TestCase(new[] { "image", "history", "busybox" }, "history")]
    [TestCase(new[] { "image", "rm", "busybox" }, "rmi")]
    [TestCase(new[] { "image", "prune", "-a" }, "image prune")]
    [TestCase(new[] { "container", "ls", "-a" }, "ps")]
    [TestCase(new[] { "container", "commit", "c", "r:t" }, "commit")]
    [TestCase(new[] { "container", "prune", "-f" }, "container prune")]
    [TestCase(new[] { "system", "df", "-v" }, "system df")]
    [TestCase(new[] { "system", "info" }, "info")]
    [TestCase(new[] { "-H", "unix:///x", "image", "save", "-o", "f", "a", "b" }, "save")]
    public void ManagementSpellingsRunTheVerb(string[] args, string verbName)
    {
        var console = new MemoryConsole();
        var parse = new BerthApp(console.Console, _ => null).Parse(args, out var verb, out int code);
        Assert.That((parse is not null, code, console.Stderr), Is.EqualTo((true, 0, "")));
        Assert.That(verb!.Name, Is.EqualTo(verbName));
    }

    [Test]
    public void HumanAndPauseDefaultToTrueAndTakeFalse()
    {
        var console = new MemoryConsole();
        var app = new BerthApp(console.Console, _ => null);
        Assert.That(app.Parse(["history", "busybox"], out _, out _)!.GetValue<bool>("--human"), Is.True);
        Assert.That(app.Parse(["history", "--human=false", "busybox"], out _, out _)!.GetValue<bool>("--human"), Is.False);
        Assert.That(app.Parse(["commit", "c"], out _, out _)!.GetValue<bool>("--pause"), Is.True);
        Assert.That(app.Parse(["commit", "--pause=false", "c"], out _, out _)!.GetValue<bool>("--pause"), Is.False);
    }

    [Test]
    public void CommitNamesTheRepositoryInFullWithADefaultTag()
    {
        Assert.That(CommitCommand.RepositoryAndTag("mine"), Is.EqualTo(("docker.io/library/mine", "latest")));
        Assert.That(CommitCommand.RepositoryAndTag("reg.example:5000/a/b:v1"), Is.EqualTo(("reg.example:5000/a/b", "v1")));
        Assert.That(Assert.Throws<CliException>(() => CommitCommand.RepositoryAndTag("a@sha256:" + new string('0', 64)))!.Message,
            Is.EqualTo("refusing to create a tag with a digest reference"));
    }

    [Test]
    public void AGroupListsItsSpellingsToo()
    {
        var console = new MemoryConsole();
        new BerthApp(console.Console, _ => null).Parse(["image"], out _, out _);
        Assert.That(console.Stdout, Does.Contain("\n  history   Show the history of an image\n").And.Contain("\n  prune     Remove unused images\n").And.Contain("\n  ls        List images\n"));
    }

    [Test]
    public void ABadFilterIsAFlagErrorOfEveryPruneVerb()
    {
        foreach (string[] args in new[] { new[] { "image", "prune", "--filter", "bogus" }, ["container", "prune", "--filter", "bogus"],
                     ["network", "prune", "--filter", "bogus"], ["system", "prune", "--filter", "bogus"] })
        {
            var console = new MemoryConsole();
            var app = new BerthApp(console.Console, _ => null);
            var parse = app.Parse(args, out var verb, out _);
            var error = Assert.ThrowsAsync<FlagException>(() => verb!.ExecuteAsync(parse!, null!, CancellationToken.None));
            Assert.That(error!.Message, Is.EqualTo("invalid argument \"bogus\" for \"--filter\" flag: bad format of filter (expected name=value)"), string.Join(' ', args));
        }
    }
}
