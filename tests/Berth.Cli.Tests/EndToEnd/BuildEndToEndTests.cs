using NUnit.Framework;

namespace Berth.Cli.Tests.EndToEnd;

/// <summary>
/// Issue 15 through the published berth against a real berthd: <c>berth build</c> of a directory (its .dockerignore
/// honoured by the CLI), the classic stream, the built image run, a cached rebuild with -q and --iidfile mirrored by
/// docker's classic builder on the same daemon, and a failing RUN that exits with the step's code and, with
/// --force-rm, leaves no container. Each test removes what it created.
/// </summary>
[NonParallelizable]
public sealed class BuildEndToEndTests
{
    private Berthd _daemon = null!;
    private string _dockerConfig = null!;
    private string _work = null!;

    [OneTimeSetUp]
    public async Task StartDaemon()
    {
        _daemon = await Berthd.StartAsync();
        _dockerConfig = Directory.CreateTempSubdirectory("berth-cli-docker-config-").FullName;
        _work = Directory.CreateTempSubdirectory("berth-cli-build-").FullName;
        var load = await Berth("load", "-i", global::Berth.TestImages.TestImages.Ensure().BusyboxDockerArchive);
        Assert.That(load.ExitCode, Is.Zero, load.ToString());
    }

    [OneTimeTearDown]
    public async Task StopDaemon()
    {
        if (_daemon is not null)
        {
            await Berth("container", "prune", "-f");
            await _daemon.DisposeAsync();
        }
        if (_dockerConfig is not null)
            Directory.Delete(_dockerConfig, recursive: true);
        if (_work is not null)
            Directory.Delete(_work, recursive: true);
    }

    private string Context(string name, string dockerfile, params (string Name, string Content)[] files)
    {
        string directory = Directory.CreateDirectory(Path.Combine(_work, name)).FullName;
        File.WriteAllText(Path.Combine(directory, "Dockerfile"), dockerfile);
        foreach (var (file, content) in files)
            File.WriteAllText(Path.Combine(directory, file), content);
        return directory;
    }

    [Test]
    public async Task BerthBuildsADirectoryRunsTheImageAndRebuildsFromTheCache()
    {
        string context = Context("app", "FROM busybox\nCOPY . /app/\nRUN ls /app | tr '\\n' ' ' > /listing\nCMD [\"cat\", \"/listing\"]\n",
            ("my_script.sh", "echo hi\n"), (".dockerignore", "secret.txt\n"), ("secret.txt", "no"));
        try
        {
            var build = await Berth("build", "-t", "built:v1", context);
            Assert.That(build.ExitCode, Is.Zero, build.ToString());
            Assert.That(build.Stdout, Does.StartWith("Sending build context to Docker daemon  "));
            Assert.That(build.Stdout, Does.Contain("\nStep 1/4 : FROM busybox\n ---> "));
            Assert.That(build.Stdout, Does.Contain("\nStep 3/4 : RUN ls /app | tr '\\n' ' ' > /listing\n ---> Running in "));
            Assert.That(build.Stdout, Does.Match(@"\nRemoving intermediate container [0-9a-f]{12}\n"));
            Assert.That(build.Stdout, Does.Match(@"\nSuccessfully built [0-9a-f]{12}\nSuccessfully tagged built:v1\n$"));
            Assert.That(build.Stderr, Is.Empty);

            var run = await Berth("run", "--rm", "built:v1");
            Assert.That((run.ExitCode, run.Stdout), Is.EqualTo((0, "Dockerfile my_script.sh ")), "the CLI left secret.txt out of the context" + run);
            Assert.That((await Berth("ps", "-aq")).Stdout, Is.Empty, "no intermediate container is left");

            string id = (await Berth("images", "--no-trunc", "-q", "built:v1")).Stdout.Trim();
            string iid = Path.Combine(_work, "iid");
            var again = await Berth("build", "-q", "--iidfile", iid, context);
            Assert.That((again.ExitCode, again.Stdout, again.Stderr), Is.EqualTo((0, id + "\n", "")), "a cached rebuild gives the same image, -q prints only its ID");
            Assert.That(File.ReadAllText(iid), Is.EqualTo(id + "\n"), "with -q the iidfile has what docker's has: the output, newline included");

            if (CliProcess.DockerPath is { } docker)
            {
                var mirror = await CliProcess.RunAsync(docker, ["build", "-q", context], DockerEnvironment);
                Assert.That((mirror.ExitCode, mirror.Stdout), Is.EqualTo((again.ExitCode, again.Stdout)), mirror.ToString());
            }
        }
        finally
        {
            await Berth("rmi", "built:v1");
        }
    }

    [Test]
    public async Task AFailingRunExitsWithItsCode()
    {
        string context = Context("failing", "FROM busybox\nRUN echo going to fail && exit 4\n");
        var failed = await Berth("build", "--force-rm", context);
        Assert.That(failed.ExitCode, Is.EqualTo(4), failed.ToString());
        Assert.That(failed.Stdout, Does.Contain("\ngoing to fail\n"));
        Assert.That(failed.Stderr, Is.EqualTo("The command '/bin/sh -c echo going to fail && exit 4' returned a non-zero code: 4\n"));
        Assert.That((await Berth("ps", "-aq")).Stdout, Is.Empty, "--force-rm removed the failed step's container");

        var missing = await Berth("build", Context("missing", "FROM busybox\nCOPY nothing.txt /\n"));
        Assert.That(missing.ExitCode, Is.EqualTo(1), missing.ToString());
        Assert.That(missing.Stderr, Does.Contain("COPY failed: file not found in build context or excluded by .dockerignore: stat nothing.txt: file does not exist"));
    }

    private Dictionary<string, string> BerthEnvironment => new() { ["BERTH_HOST"] = _daemon.Host };

    private Dictionary<string, string> DockerEnvironment =>
        new() { ["DOCKER_HOST"] = _daemon.Host, ["DOCKER_CONFIG"] = _dockerConfig, ["DOCKER_BUILDKIT"] = "0" };

    private Task<CliProcess.Result> Berth(params string[] args) => CliProcess.RunAsync(CliProcess.BerthPath, args, BerthEnvironment);
}
