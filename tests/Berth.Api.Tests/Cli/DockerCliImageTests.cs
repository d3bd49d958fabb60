using Berth.Api.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Api.Tests.Cli;

/// <summary>
/// The real docker CLI (28.x) for issue 13's image verbs: tag, history, commit with a change, save and load back,
/// export and import, image and container prune, system df. Skipped, saying why, when docker is not on PATH.
/// </summary>
public sealed class DockerCliImageTests : DaemonFixture
{
    private DockerCli _docker = null!;
    private string _work = "";

    protected override bool LoadBusybox => false;

    [OneTimeSetUp]
    public async Task LoadWithTheCli()
    {
        DockerCli.Require();
        _work = Path.Combine(Daemon.DataRoot + ".run", "images-work");
        Directory.CreateDirectory(_work);
        _docker = new DockerCli(Daemon.SocketPath, Path.Combine(Daemon.DataRoot + ".run", "docker-config"));
        await DockerAsync("load", "-i", Berth.TestImages.TestImages.Ensure().BusyboxDockerArchive);
    }

    private async Task<string> DockerAsync(params string[] args)
    {
        var result = await _docker.RunAsync(args);
        Assert.That(result.ExitCode, Is.Zero, $"docker {string.Join(' ', args)}: {result}");
        return result.Stdout;
    }

    [Test, Order(1)]
    public async Task TagAndHistory()
    {
        await DockerAsync("tag", "busybox", "berth-test/tagged:v1");
        string images = await DockerAsync("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}");
        string busyboxId = (await DockerAsync("images", "-q", "busybox:latest")).Trim();
        Assert.That(images, Does.Contain($"berth-test/tagged:v1 {busyboxId}"), "the new tag names the same image");
        string history = await DockerAsync("history", "--no-trunc", "--format", "{{.ID}}|{{.CreatedBy}}", "berth-test/tagged:v1");
        Assert.That(history.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.Not.Empty);
        Assert.That(history, Does.StartWith("sha256:"), "the newest entry is the image itself");
        await DockerAsync("rmi", "berth-test/tagged:v1");
        Assert.That(await DockerAsync("images", "-q", "busybox:latest"), Is.Not.Empty, "untagging keeps the image under its other name");
    }

    [Test, Order(2)]
    public async Task CommitWithAChangeThenSaveAndLoadItBack()
    {
        string container = (await DockerAsync("run", "-d", "busybox", "sh", "-c", "echo hello-commit > /greeting")).Trim();
        await DockerAsync("wait", container);
        await DockerAsync("commit", "-c", "CMD [\"cat\", \"/greeting\"]", "-m", "a greeting", container, "berth-test/committed:1");
        Assert.That(await DockerAsync("run", "--rm", "berth-test/committed:1"), Is.EqualTo("hello-commit\n"), "the committed layer and the new CMD");
        Assert.That(await DockerAsync("inspect", "-f", "{{.Comment}}", "berth-test/committed:1"), Is.EqualTo("a greeting\n"));

        string archive = Path.Combine(_work, "committed.tar");
        await DockerAsync("save", "-o", archive, "berth-test/committed:1");
        await DockerAsync("rmi", "berth-test/committed:1");
        Assert.That(await DockerAsync("load", "-i", archive), Does.Contain("Loaded image: berth-test/committed:1"));
        Assert.That(await DockerAsync("run", "--rm", "berth-test/committed:1"), Is.EqualTo("hello-commit\n"), "the image survived save and load");

        string exported = Path.Combine(_work, "exported.tar");
        await DockerAsync("export", "-o", exported, container);
        await DockerAsync("import", "-c", "CMD [\"cat\", \"/greeting\"]", exported, "berth-test/imported:1");
        Assert.That(await DockerAsync("run", "--rm", "berth-test/imported:1"), Is.EqualTo("hello-commit\n"), "import of an export, with a change");
        await DockerAsync("rm", container);
        await DockerAsync("rmi", "berth-test/committed:1", "berth-test/imported:1");
    }

    [Test, Order(3)]
    public async Task PruneRemovesStoppedContainersAndDanglingImagesOnly()
    {
        string running = (await DockerAsync("run", "-d", "busybox", "sleep", "1000")).Trim();
        string stopped = (await DockerAsync("run", "-d", "busybox", "true")).Trim();
        await DockerAsync("wait", stopped);
        string dangling = (await DockerAsync("commit", stopped)).Trim();
        Assert.That(dangling, Does.StartWith("sha256:"), "commit without a name prints the new image's id");

        string containers = await DockerAsync("container", "prune", "-f");
        Assert.That(containers, Does.Contain(stopped).And.Not.Contain(running));
        string images = await DockerAsync("image", "prune", "-f");
        Assert.That(images, Does.Contain(dangling), "the untagged image is dangling");
        Assert.That(await DockerAsync("images", "-q", "busybox:latest"), Is.Not.Empty, "a tagged image in use is kept");

        string df = await DockerAsync("system", "df", "--format", "{{.Type}} {{.TotalCount}} {{.Active}}");
        Assert.That(df, Does.Contain("Images 1 1").And.Contain("Containers 1 1"), "busybox, used by the running container");
        await DockerAsync("rm", "-f", running);
    }
}
