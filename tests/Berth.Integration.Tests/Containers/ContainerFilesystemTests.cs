using Berth.Engine.Containers;
using Berth.Integration.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Integration.Tests.Containers;

/// <summary>The overlay rootfs, image layers with whiteouts, and bind mounts.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ContainerFilesystemTests : EngineFixture
{
    private string _hostDir = null!;

    [OneTimeSetUp]
    public void CreateHostFolder()
    {
        _hostDir = Path.Combine(Engine.DataRoot, "host-folder");
        Directory.CreateDirectory(_hostDir);
    }

    [Test]
    public async Task A_whiteout_hides_a_lower_file_and_an_opaque_dir_hides_its_lower_content()
    {
        var run = await Engine.RunAsync(new ContainerConfig
        {
            Image = "busybox-layers",
            Cmd = ["sh", "-c", "ls /data | sort | tr '\\n' ' '; echo; ls -R /opaque | tr '\\n' ' '; echo; cat /etc/motd; pwd; echo $BERTH_LAYERED"],
        });
        string[] lines = run.Stdout.Split('\n');
        Assert.That(lines[0].Trim(), Is.EqualTo("added.txt keep.txt"), "gone.txt is whited out");
        Assert.That(lines[1].Trim(), Is.EqualTo("/opaque: new.txt"), "the opaque marker hides a.txt and sub/");
        Assert.That(lines[2], Is.EqualTo("upper motd"));
        Assert.That(lines[3], Is.EqualTo("/data"), "WorkingDir from the image");
        Assert.That(lines[4], Is.EqualTo("1"), "Env from the image");
    }

    [Test]
    public async Task Writes_go_to_the_container_upper_dir_and_never_to_the_image()
    {
        var first = await Engine.RunAsync("sh", "-c", "echo changed > /etc/motd-new; rm /bin/vi; echo done");
        Assert.That(first.Stdout, Is.EqualTo("done\n"));
        Assert.That(File.ReadAllText(Path.Combine(first.Container.Directory, "upper/etc/motd-new")), Is.EqualTo("changed\n"));
        // The deletion is an overlayfs whiteout in the upper dir: a 0:0 character device (checked with Mono.Posix,
        // independently of the engine's own stat wrappers).
        var whiteout = new Mono.Unix.UnixSymbolicLinkInfo(Path.Combine(first.Container.Directory, "upper/bin/vi"));
        Assert.That(whiteout.FileType, Is.EqualTo(Mono.Unix.FileTypes.CharacterDevice));
        Assert.That(whiteout.DeviceType, Is.EqualTo(0));
        var second = await Engine.RunAsync("sh", "-c", "ls /etc/motd-new /bin/vi 2>&1 | wc -l; [ -e /bin/vi ] && echo vi-present");
        Assert.That(second.Stdout, Does.Contain("vi-present"), "a new container sees the image unchanged");
    }

    [Test]
    public async Task A_bind_mount_writes_through_to_the_host()
    {
        var run = await Engine.RunAsync(
            new ContainerConfig { Image = "busybox", Cmd = ["sh", "-c", "echo persisted > /mnt/data/out.txt && cat /mnt/data/in.txt"] },
            new HostConfig { Binds = [$"{PrepareHostFile("in.txt", "from host\n")}:/mnt/data"] });
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
        Assert.That(run.Stdout, Is.EqualTo("from host\n"));
        Assert.That(File.ReadAllText(Path.Combine(_hostDir, "out.txt")), Is.EqualTo("persisted\n"));
    }

    [Test]
    public async Task A_read_only_bind_mount_refuses_writes()
    {
        var run = await Engine.RunAsync(
            new ContainerConfig { Image = "busybox", Cmd = ["sh", "-c", "cat /ro/in.txt; echo x > /ro/new.txt"] },
            new HostConfig { Binds = [$"{PrepareHostFile("in.txt", "readable\n")}:/ro:ro"] });
        Assert.That(run.Stdout, Is.EqualTo("readable\n"));
        Assert.That(run.ExitCode, Is.Not.EqualTo(0));
        Assert.That(run.Stderr, Does.Contain("Read-only file system"));
        Assert.That(File.Exists(Path.Combine(_hostDir, "new.txt")), Is.False);
    }

    [Test]
    public async Task A_missing_bind_source_directory_is_created_like_docker_run_v()
    {
        string source = Path.Combine(Engine.DataRoot, "created-by-bind");
        var run = await Engine.RunAsync(
            new ContainerConfig { Image = "busybox", Cmd = ["touch", "/vol/x"] },
            new HostConfig { Binds = [$"{source}:/vol"] });
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
        Assert.That(File.Exists(Path.Combine(source, "x")), Is.True);
    }

    [Test]
    public void Bad_bind_specifications_are_refused_at_create()
    {
        foreach (string bind in new[] { "relative:/x", "/a", "/a:relative", "/a:/b:bogus", "/a:/" })
            Assert.That(() => Engine.Containers.Create(null, new ContainerConfig { Image = "busybox", Cmd = ["true"] }, new HostConfig { Binds = [bind] }),
                Throws.TypeOf<Berth.Engine.InvalidParameterException>(), bind);
    }

    private string PrepareHostFile(string name, string content)
    {
        File.WriteAllText(Path.Combine(_hostDir, name), content);
        return _hostDir;
    }
}
