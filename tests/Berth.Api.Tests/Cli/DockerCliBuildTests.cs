using Berth.Api.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Api.Tests.Cli;

/// <summary>
/// Issue 15 through the real docker CLI with DOCKER_BUILDKIT=0 (its classic builder, POST /build): a build of a
/// directory with tags, the cache on a rebuild, -q and --iidfile, a Dockerfile from stdin, and a failing RUN that
/// exits with the step's code. Skipped, saying why, when docker is not on PATH.
/// </summary>
public sealed class DockerCliBuildTests : DaemonFixture
{
    private DockerCli _docker = null!;
    private string _work = "";

    [OneTimeSetUp]
    public void PrepareCli()
    {
        DockerCli.Require();
        _work = Path.Combine(Daemon.DataRoot + ".run", "build-work");
        Directory.CreateDirectory(_work);
        _docker = new DockerCli(Daemon.SocketPath, Path.Combine(Daemon.DataRoot + ".run", "docker-config"));
        _docker.Environment["DOCKER_BUILDKIT"] = "0";
    }

    private string Context(string name, string dockerfile, params (string Name, string Content)[] files)
    {
        string directory = Path.Combine(_work, name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "Dockerfile"), dockerfile);
        foreach (var (file, content) in files)
            File.WriteAllText(Path.Combine(directory, file), content);
        return directory;
    }

    [Test]
    public async Task DockerBuildsTagsAndReusesTheCache()
    {
        string context = Context("seed", "FROM busybox\nADD my_script.sh /\nRUN sh /my_script.sh > /out.txt\nCMD [\"cat\", \"/out.txt\"]\n",
            ("my_script.sh", "echo the script ran\n"), (".dockerignore", "ignored.txt\n"), ("ignored.txt", "x"));
        var build = await _docker.RunAsync("build", "-t", "berth-test/docker-built:v1", "-t", "berth-test/docker-built:v2", context);
        Assert.That(build.ExitCode, Is.Zero, build.ToString());
        Assert.That(build.Stdout, Does.StartWith("Sending build context to Docker daemon"));
        Assert.That(build.Stdout, Does.Contain("Step 1/4 : FROM busybox\n ---> "));
        Assert.That(build.Stdout, Does.Contain("Step 3/4 : RUN sh /my_script.sh > /out.txt\n ---> Running in "));
        Assert.That(build.Stdout, Does.Match(@"Successfully built [0-9a-f]{12}\nSuccessfully tagged berth-test/docker-built:v1\nSuccessfully tagged berth-test/docker-built:v2\n$"));

        var run = await _docker.RunAsync("run", "--rm", "berth-test/docker-built:v1");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Stdout, Is.EqualTo("the script ran\n"));

        var again = await _docker.RunAsync("build", "-q", "--iidfile", Path.Combine(_work, "iid"), context);
        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        string id = (await _docker.RunAsync("inspect", "-f", "{{.Id}}", "berth-test/docker-built:v1")).Stdout.Trim();
        Assert.That(again.Stdout.Trim(), Is.EqualTo(id), "-q prints only the image ID, and the cached rebuild gives the same image");
        // With -q the docker CLI writes the daemon's output as it came, the ID and moby's Fprintln newline.
        Assert.That(File.ReadAllText(Path.Combine(_work, "iid")), Is.EqualTo(id + "\n"));

        var history = await _docker.RunAsync("history", "--no-trunc", "--format", "{{.CreatedBy}}", "berth-test/docker-built:v1");
        Assert.That(history.Stdout, Does.StartWith("/bin/sh -c #(nop)  CMD [\"cat\" \"/out.txt\"]\n/bin/sh -c sh /my_script.sh > /out.txt\n"));
        await _docker.RunAsync("rmi", "berth-test/docker-built:v1", "berth-test/docker-built:v2");
    }

    [Test]
    public async Task AFailingRunExitsWithItsCodeAndAMissingFileIsNamed()
    {
        string context = Context("failing", "FROM busybox\nRUN echo going to fail && exit 5\n");
        var failed = await _docker.RunAsync("build", "--force-rm", context);
        Assert.That(failed.ExitCode, Is.EqualTo(5), failed.ToString());
        Assert.That(failed.Stdout, Does.Contain("going to fail\n"));
        Assert.That(failed.Stderr, Does.Contain("The command '/bin/sh -c echo going to fail && exit 5' returned a non-zero code: 5"));
        Assert.That((await _docker.RunAsync("ps", "-aq")).Stdout, Is.Empty, "--force-rm removed the failed step's container");

        var stdin = await _docker.RunAsync("FROM busybox\nCOPY missing.txt /\n", DockerCli.DefaultTimeout, "build", "-");
        Assert.That(stdin.ExitCode, Is.EqualTo(1), stdin.ToString());
        Assert.That(stdin.Stderr, Does.Contain("COPY failed: file not found in build context or excluded by .dockerignore: stat missing.txt: file does not exist"));
    }
}
