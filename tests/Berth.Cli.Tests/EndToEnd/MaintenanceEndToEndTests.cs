using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Berth.Cli.Tests.EndToEnd;

/// <summary>
/// Issues 11 and 13 through the published berth against a real berthd (one per fixture): history, system df, commit,
/// save and load, export and import, the prune verbs and their prompts; mirrored with docker on the same daemon
/// where the output does not depend on the second it runs in. Each test removes what it created; berthd's networking
/// lives in a namespace the fixture creates, so nothing touches the machine's interfaces.
/// </summary>
[NonParallelizable]
public sealed class MaintenanceEndToEndTests
{
    private Berth.Network.Tests.TestNamespace? _namespace;
    private Berthd _daemon = null!;
    private string _dockerConfig = null!;
    private string _work = null!;

    [OneTimeSetUp]
    public async Task StartDaemon()
    {
        // Network prune (and system prune, which calls it) needs berthd's networking: in a namespace of this fixture's own.
        _namespace = new Berth.Network.Tests.TestNamespace("cli");
        _daemon = await Berthd.StartAsync(_namespace.Path);
        _dockerConfig = Directory.CreateTempSubdirectory("berth-cli-docker-config-").FullName;
        _work = Directory.CreateTempSubdirectory("berth-cli-maintenance-").FullName;
        var load = await Berth("load", "-i", global::Berth.TestImages.TestImages.Ensure().BusyboxDockerArchive);
        Assert.That(load.ExitCode, Is.Zero, load.ToString());
    }

    [OneTimeTearDown]
    public async Task StopDaemon()
    {
        if (_daemon is not null)
        {
            await Berth("container", "prune", "-f");
            await Berth("rm", "-f", "df-writer", "in-use", "prune-running");
            await _daemon.DisposeAsync();
        }
        _namespace?.Dispose();
        if (_dockerConfig is not null)
            Directory.Delete(_dockerConfig, recursive: true);
        if (_work is not null)
            Directory.Delete(_work, recursive: true);
    }

    [Test]
    public async Task HistoryOfALoadedImageMatchesDocker()
    {
        var table = await Berth("history", "busybox");
        Assert.That(table.ExitCode, Is.Zero, table.ToString());
        Assert.That(table.Stdout, Does.StartWith("IMAGE          CREATED ").And.Contain("   CREATED BY   ").And.Contain("   SIZE      COMMENT\n"));
        await ExpectSameAsDocker(table, "history", "busybox");
        await ExpectSameAsDocker(await Berth("image", "history", "--no-trunc", "--format", "{{.ID}}|{{.CreatedBy}}|{{.Size}}|{{.Comment}}", "busybox"),
            "image", "history", "--no-trunc", "--format", "{{.ID}}|{{.CreatedBy}}|{{.Size}}|{{.Comment}}", "busybox");
        await ExpectSameAsDocker(await Berth("history", "-H=false", "--format", "json", "busybox"), "history", "-H=false", "--format", "json", "busybox");
        await ExpectSameAsDocker(await Berth("history", "-q", "busybox"), "history", "-q", "busybox");
        await ExpectSameAsDocker(await Berth("history", "missing:1"), "history", "missing:1");
    }

    [Test]
    public async Task CommitKeepsAnAddedAndADeletedFileAndHistoryShowsTheCommit()
    {
        var run = await Berth("run", "--name", "committed", "busybox", "sh", "-c", "echo added > /added && rm /bin/vi");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var commit = await Berth("commit", "-m", "two changes", "-a", "Tester", "-c", "ENV MARK=1", "committed", "committed:1");
        Assert.That(commit.ExitCode, Is.Zero, commit.ToString());
        Assert.That(commit.Stdout, Does.Match("^sha256:[0-9a-f]{64}\n$"));
        string id = commit.Stdout.Trim();
        try
        {
            var check = await Berth("run", "--rm", "committed:1", "sh", "-c", "cat /added; test -e /bin/vi || echo vi gone; echo $MARK");
            Assert.That((check.ExitCode, check.Stdout), Is.EqualTo((0, "added\nvi gone\n1\n")), check.ToString());

            var history = await Berth("history", "--no-trunc", "--format", "{{.ID}}|{{.CreatedBy}}|{{.Comment}}", "committed:1");
            string[] lines = history.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines[0], Is.EqualTo(id + "|sh -c echo added > /added && rm /bin/vi|two changes"), history.ToString());
            var busybox = await Berth("history", "-q", "busybox");
            Assert.That(lines, Has.Length.EqualTo(busybox.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length + 1));
            Assert.That((await Berth("history", "-q", "committed:1")).Stdout, Does.StartWith(id[7..19] + "\n"));
            await ExpectSameAsDocker(await Berth("history", "--format", "{{.ID}} {{.Size}} {{.Comment}}", "committed:1"),
                "history", "--format", "{{.ID}} {{.Size}} {{.Comment}}", "committed:1");
        }
        finally
        {
            await Berth("rm", "committed");
            await Berth("rmi", "committed:1");
        }
    }

    [Test]
    public async Task SaveRmiLoadKeepsTheImageId()
    {
        await Berth("run", "--name", "saved", "busybox", "sh", "-c", "echo saved > /saved");
        string id = (await Berth("commit", "saved", "saved:1")).Stdout.Trim();
        await Berth("rm", "saved");
        string archive = Path.Combine(_work, "saved.tar");
        try
        {
            var save = await Berth("image", "save", "-o", archive, "saved:1");
            Assert.That((save.ExitCode, save.Stdout, save.Stderr), Is.EqualTo((0, "", "")), save.ToString());
            Assert.That(File.Exists(archive) && new FileInfo(archive).Length > 0, Is.True);
            Assert.That((await Berth("rmi", "saved:1")).ExitCode, Is.Zero);
            Assert.That((await Berth("images", "-q", "saved")).Stdout, Is.Empty);

            var load = await Berth("load", "-i", archive);
            Assert.That((load.ExitCode, load.Stdout), Is.EqualTo((0, "Loaded image: saved:1\n")), load.ToString());
            Assert.That((await Berth("images", "--no-trunc", "--format", "{{.ID}}", "saved:1")).Stdout, Is.EqualTo(id + "\n"));
            var check = await Berth("run", "--rm", "saved:1", "cat", "/saved");
            Assert.That(check.Stdout, Is.EqualTo("saved\n"), check.ToString());

            var toPipe = await Berth("save", "saved:1");
            Assert.That((toPipe.ExitCode, toPipe.Stdout.Length > 1024), Is.EqualTo((0, true)), "the tar goes to a stdout that is not a terminal");
            await ExpectSameAsDocker(await Berth("save", "-o", Path.Combine(_work, "missing", "x.tar"), "saved:1"), "save", "-o", Path.Combine(_work, "missing", "x.tar"), "saved:1");
        }
        finally
        {
            await Berth("rmi", "saved:1");
        }
    }

    [Test]
    public async Task ImportOfAnExportRuns()
    {
        await Berth("run", "--name", "exported", "busybox", "sh", "-c", "echo imported > /marker");
        string archive = Path.Combine(_work, "exported.tar");
        try
        {
            Assert.That((await Berth("export", "-o", archive, "exported")).ExitCode, Is.Zero);
            var import = await Berth("import", "-m", "from a tar", "-c", "CMD [\"cat\", \"/marker\"]", archive, "imported:1");
            Assert.That(import.ExitCode, Is.Zero, import.ToString());
            Assert.That(import.Stdout, Does.Match("^sha256:[0-9a-f]{64}\n$"));
            var run = await Berth("run", "--rm", "imported:1");
            Assert.That((run.ExitCode, run.Stdout), Is.EqualTo((0, "imported\n")), run.ToString());
            Assert.That((await Berth("history", "--format", "{{.Comment}}", "imported:1")).Stdout, Is.EqualTo("from a tar\n"));

            var fromStdin = await CliProcess.RunAsync("/bin/sh", ["-c", $"{CliProcess.BerthPath} image import - imported:2 < {archive}"], BerthEnvironment);
            Assert.That(fromStdin.ExitCode, Is.Zero, fromStdin.ToString());
            var run2 = await Berth("run", "--rm", "imported:2", "cat", "/marker");
            Assert.That(run2.Stdout, Is.EqualTo("imported\n"), run2.ToString());
            await ExpectSameAsDocker(await Berth("import", Path.Combine(_work, "nope.tar")), "import", Path.Combine(_work, "nope.tar"));
        }
        finally
        {
            await Berth("rm", "exported");
            await Berth("rmi", "imported:1", "imported:2");
        }
    }

    [Test]
    public async Task SystemDfFiguresChangeAfterAContainerWritesData()
    {
        var before = Rows(await Berth("system", "df", "--format", "json"));
        var write = await Berth("run", "--name", "df-writer", "busybox", "sh", "-c", "head -c 3000000 /dev/urandom > /payload");
        Assert.That(write.ExitCode, Is.Zero, write.ToString());
        try
        {
            var table = await Berth("system", "df");
            Assert.That(table.Stdout, Does.StartWith("TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE\nImages          1         1         "), table.ToString());
            var after = Rows(table = await Berth("system", "df", "--format", "json"));
            Assert.That(int.Parse(after["Containers"]["TotalCount"]), Is.EqualTo(int.Parse(before["Containers"]["TotalCount"]) + 1));
            Assert.That(after["Containers"]["Size"], Is.Not.EqualTo(before["Containers"]["Size"]));
            Assert.That(after["Containers"]["Size"], Does.Match(@"^3(\.\d+)?MB$"), "the 3 MB the container wrote");
            Assert.That(after["Images"]["Active"], Is.EqualTo("1"), "busybox is used by a container now");
            await ExpectSameAsDocker(await Berth("system", "df"), "system", "df");
            await ExpectSameAsDocker(await Berth("system", "df", "--format", "{{.Type}}: {{.Size}} {{.Reclaimable}}"), "system", "df", "--format", "{{.Type}}: {{.Size}} {{.Reclaimable}}");

            var verbose = await Berth("system", "df", "-v");
            Assert.That(verbose.Stdout, Does.StartWith("Images space usage:\n\nREPOSITORY   TAG       IMAGE ID       CREATED ").And
                .Contain("\nContainers space usage:\n\nCONTAINER ID   IMAGE     COMMAND   ").And
                .Contain("\nLocal Volumes space usage:\n\nVOLUME NAME   LINKS     SIZE\n").And
                .EndWith("\nBuild cache usage: 0B\n\nCACHE ID   CACHE TYPE   SIZE      CREATED   LAST USED   USAGE     SHARED\n"), verbose.ToString());
            Assert.That(verbose.Stdout, Does.Contain("   df-writer\n"));
            await ExpectSameAsDocker(await Berth("system", "df", "-v", "--format", "{{range .Images}}{{.Repository}} {{.Containers}}\n{{end}}{{range .Containers}}{{.Names}} {{.Size}}\n{{end}}"),
                "system", "df", "-v", "--format", "{{range .Images}}{{.Repository}} {{.Containers}}\n{{end}}{{range .Containers}}{{.Names}} {{.Size}}\n{{end}}");
        }
        finally
        {
            await Berth("rm", "df-writer");
        }
    }

    [Test]
    public async Task ContainerPruneRemovesStoppedContainersAndKeepsRunningOnes()
    {
        string stopped = (await Berth("create", "busybox", "true")).Stdout.Trim();
        var running = await Berth("run", "-d", "--name", "prune-running", "busybox", "sleep", "1000");
        Assert.That(running.ExitCode, Is.Zero, running.ToString());
        try
        {
            var refused = await Berth("container", "prune");
            Assert.That((refused.ExitCode, refused.Stdout), Is.EqualTo((0, "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ")), refused.ToString());
            await ExpectSameAsDocker(refused, "container", "prune");
            Assert.That((await Berth("ps", "-aq", "--no-trunc")).Stdout, Does.Contain(stopped), "a refused prompt removes nothing");

            var prune = await CliProcess.RunAsync(CliProcess.BerthPath, ["container", "prune"], BerthEnvironment, " y \n");
            Assert.That(prune.ExitCode, Is.Zero, prune.ToString());
            Assert.That(prune.Stdout, Does.Match($"^WARNING! This will remove all stopped containers.\nAre you sure you want to continue\\? \\[y/N\\] " +
                $"Deleted Containers:\n{stopped}\n\nTotal reclaimed space: [0-9.]+k?B\n$"), "answered y");
            string left = (await Berth("ps", "-aq", "--no-trunc")).Stdout;
            Assert.That(left, Does.Not.Contain(stopped));
            Assert.That(left, Does.Contain(running.Stdout.Trim()));
            await ExpectSameAsDocker(await Berth("container", "prune", "-f"), "container", "prune", "-f");
        }
        finally
        {
            await Berth("rm", "-f", "prune-running");
        }
    }

    [Test]
    public async Task ImagePruneRemovesDanglingThenUnusedImagesAndKeepsUsedOnes()
    {
        await Berth("run", "--name", "layer-source", "busybox", "sh", "-c", "echo 1 > /one");
        string first = (await Berth("commit", "layer-source", "pruned:1")).Stdout.Trim();
        string second = (await Berth("commit", "-m", "again", "layer-source", "pruned:1")).Stdout.Trim();
        await Berth("rm", "layer-source");
        string inUse = (await Berth("create", "--name", "in-use", "busybox", "true")).Stdout.Trim();
        try
        {
            Assert.That(first, Is.Not.EqualTo(second));
            var refused = await Berth("image", "prune", "-a");
            Assert.That((refused.ExitCode, refused.Stdout), Is.EqualTo((0,
                "WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue? [y/N] ")));
            await ExpectSameAsDocker(refused, "image", "prune", "-a");

            var dangling = await Berth("image", "prune", "-f");
            Assert.That(dangling.Stdout, Does.Match($"^Deleted Images:\ndeleted: {first}\n\nTotal reclaimed space: "), dangling.ToString());
            Assert.That((await Berth("images", "-q", "--no-trunc")).Stdout, Does.Contain(second));

            var unused = await Berth("image", "prune", "-a", "-f");
            Assert.That(unused.Stdout, Does.StartWith($"Deleted Images:\nuntagged: pruned:1\ndeleted: {second}\n"), unused.ToString());
            var images = (await Berth("images", "--format", "{{.Repository}}")).Stdout;
            Assert.That(images, Is.EqualTo("busybox\n"), "busybox is used by a container");
            await ExpectSameAsDocker(await Berth("image", "prune", "-f"), "image", "prune", "-f");
        }
        finally
        {
            await Berth("rm", "-f", inUse);
            await Berth("rmi", "pruned:1");
        }
    }

    [Test]
    public async Task NetworkAndSystemPruneRemoveWhatIsUnused()
    {
        var create = await Berth("network", "create", "pruned-net");
        Assert.That(create.ExitCode, Is.Zero, create.ToString());
        var refusedNetwork = await Berth("network", "prune");
        Assert.That((refusedNetwork.ExitCode, refusedNetwork.Stdout), Is.EqualTo((0,
            "WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ")));
        await ExpectSameAsDocker(refusedNetwork, "network", "prune");
        var network = await Berth("network", "prune", "-f");
        Assert.That((network.ExitCode, network.Stdout), Is.EqualTo((0, "Deleted Networks:\npruned-net\n\n")), network.ToString());
        Assert.That((await Berth("network", "ls", "--format", "{{.Name}}")).Stdout, Does.Not.Contain("pruned-net"));

        string stopped = (await Berth("create", "-v", "/anonymous", "busybox", "true")).Stdout.Trim();
        string volume = (await Berth("inspect", "--format", "{{range .Mounts}}{{.Name}}{{end}}", stopped)).Stdout.Trim();
        Assert.That(volume, Does.Match("^[0-9a-f]{64}$"));
        var refused = await Berth("system", "prune", "--volumes");
        Assert.That((refused.ExitCode, refused.Stderr), Is.EqualTo((0, "")));
        await ExpectSameAsDocker(refused, "system", "prune", "--volumes");
        var prune = await Berth("system", "prune", "-f", "--volumes");
        Assert.That(prune.ExitCode, Is.Zero, prune.ToString());
        Assert.That(prune.Stdout, Does.StartWith($"Deleted Containers:\n{stopped}\n\nDeleted Volumes:\n{volume}\n\nTotal reclaimed space: "), prune.ToString());
        Assert.That((await Berth("volume", "ls", "-q")).Stdout, Is.Empty);
        Assert.That((await Berth("images", "--format", "{{.Repository}}")).Stdout, Is.EqualTo("busybox\n"), "without -a the tagged busybox stays");
        await ExpectSameAsDocker(await Berth("system", "prune", "-f"), "system", "prune", "-f");
    }

    private Dictionary<string, string> BerthEnvironment => new() { ["BERTH_HOST"] = _daemon.Host };

    private Dictionary<string, string> DockerEnvironment => new() { ["DOCKER_HOST"] = _daemon.Host, ["DOCKER_CONFIG"] = _dockerConfig };

    private Task<CliProcess.Result> Berth(params string[] args) => CliProcess.RunAsync(CliProcess.BerthPath, args, BerthEnvironment);

    /// <summary>system df --format json: each line's fields by its Type.</summary>
    private static Dictionary<string, Dictionary<string, string>> Rows(CliProcess.Result result)
    {
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!))
            .ToDictionary(row => row["Type"]);
    }

    /// <summary>docker gives the same exit code, stdout and stderr (its own name read as berth's); skipped without docker.</summary>
    private async Task ExpectSameAsDocker(CliProcess.Result berth, params string[] args)
    {
        if (CliProcess.DockerPath is not { } docker)
        {
            TestContext.Out.WriteLine($"docker mirror of `{string.Join(' ', args)}` skipped: the docker CLI is not on PATH");
            return;
        }
        var mirror = await CliProcess.RunAsync(docker, args, DockerEnvironment);
        Assert.That(berth.ExitCode, Is.EqualTo(mirror.ExitCode), $"exit code of `{string.Join(' ', args)}`\nberth: {berth}\ndocker: {mirror}");
        Assert.That(berth.Stdout, Is.EqualTo(mirror.Stdout), $"stdout of `{string.Join(' ', args)}`");
        Assert.That(berth.Stderr, Is.EqualTo(Regex.Replace(CliProcess.AsBerth(mirror.Stderr), "'berth image history", "'berth history")), $"stderr of `{string.Join(' ', args)}`");
    }
}
