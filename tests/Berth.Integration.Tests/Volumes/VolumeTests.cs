using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Engine.Volumes;
using Berth.Integration.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Integration.Tests.Volumes;

/// <summary>Named and anonymous volumes, copy-up, tmpfs and volumes-from in real containers.</summary>
[TestFixture]
[NonParallelizable]
public sealed class VolumeTests : EngineFixture
{
    private VolumeStore Volumes => Engine.Engine.Volumes;

    [OneTimeSetUp]
    public async Task LoadVolumeImage()
    {
        string archive = VolumeTestImage.Write(Berth.TestImages.TestImages.Ensure().BusyboxDockerArchive, Engine.DataRoot);
        await Engine.LoadAsync(archive);
    }

    [TearDown]
    public async Task RemoveContainersAndVolumes()
    {
        foreach (var container in Engine.Containers.List())
            await Engine.Containers.RemoveAsync(container.Id, force: true);
        foreach (var volume in Volumes.List())
            Volumes.Remove(volume.Name);
    }

    private static ContainerConfig Sh(string script, string image = "busybox") => new() { Image = image, Cmd = ["sh", "-c", script] };

    [Test]
    public async Task A_named_volume_is_created_on_first_use_and_keeps_what_one_container_wrote_for_another()
    {
        var write = await Engine.RunAsync(Sh("echo kept > /v/file"), new HostConfig { Binds = ["shared-data:/v"] });
        Assert.That(write.ExitCode, Is.EqualTo(0), write.Stderr);
        var volume = Volumes.Get("shared-data");
        Assert.That(volume.Mountpoint, Is.EqualTo(Path.Combine(Engine.DataRoot, "volumes", "shared-data", "_data")));
        Assert.That(File.ReadAllText(Path.Combine(volume.Mountpoint, "file")), Is.EqualTo("kept\n"));
        await Engine.Containers.RemoveAsync(write.Container.Id, force: false, removeVolumes: true);
        Assert.That(Volumes.TryGet("shared-data"), Is.Not.Null, "rm -v never removes a named volume");

        var read = await Engine.RunAsync(Sh("cat /w/file"), new HostConfig { Mounts = [new MountSpec { Type = "volume", Source = "shared-data", Target = "/w", ReadOnly = true }] });
        Assert.That(read.Stdout, Is.EqualTo("kept\n"));
        Assert.That(read.Container.Record.Mounts.Single(), Has.Property("Name").EqualTo("shared-data").And.Property("RW").False.And.Property("Type").EqualTo("volume"));
    }

    [Test]
    public async Task Volume_events_create_mount_unmount_destroy()
    {
        using var subscription = Engine.Engine.Events.Subscribe();
        var run = await Engine.RunAsync(Sh("true"), new HostConfig { Binds = ["evented:/v:ro"] });
        await Engine.Containers.RemoveAsync(run.Container.Id, force: false);
        Volumes.Remove("evented");
        var events = new List<(string, string)>();
        while (subscription.Reader.TryRead(out var e))
            if (e.Type == "volume")
            {
                events.Add((e.Action, e.ActorId));
                if (e.Action == "mount")
                    Assert.That((e.Attributes["container"], e.Attributes["destination"], e.Attributes["read/write"]), Is.EqualTo((run.Container.Id, "/v", "false")));
            }
        Assert.That(events, Is.EqualTo(new[] { ("create", "evented"), ("mount", "evented"), ("unmount", "evented"), ("destroy", "evented") }));
    }

    [Test]
    public async Task A_volume_used_by_a_stopped_container_cannot_be_removed()
    {
        var run = await Engine.RunAsync(Sh("true"), new HostConfig { Binds = ["busy-vol:/v"] });
        Assert.That(() => Volumes.Remove("busy-vol"), Throws.TypeOf<VolumeInUseException>().With.Message.Contains(run.Container.Id));
        Assert.That(() => Volumes.Remove("busy-vol", force: true), Throws.TypeOf<VolumeInUseException>());
        await Engine.Containers.RemoveAsync(run.Container.Id, force: false);
        Volumes.Remove("busy-vol");
        Assert.That(Volumes.TryGet("busy-vol"), Is.Null);
        Assert.That(Directory.Exists(Path.Combine(Engine.DataRoot, "volumes", "busy-vol")), Is.False);
    }

    [Test]
    public async Task The_image_volume_gets_an_anonymous_volume_filled_once_with_owners_modes_and_xattrs()
    {
        var run = await Engine.RunAsync(Sh("stat -c '%u:%g %a %n' /data/owned.txt /data/sub; cat /data/sub/deep.txt; readlink /data/link; echo more > /data/new", VolumeTestImage.Name));
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
        Assert.That(run.Stdout, Is.EqualTo("1000:1001 640 /data/owned.txt\n1000:1000 700 /data/sub\ndeep\nowned.txt\n"));
        var mount = run.Container.Record.Mounts.Single();
        Assert.That((mount.Type, mount.Destination, mount.Anonymous), Is.EqualTo(("volume", "/data", true)));
        var volume = Volumes.Get(mount.Name);
        Assert.That(volume.Labels, Does.ContainKey(Volume.AnonymousLabel));
        Assert.That(Berth.Interop.Sys.GetXattr(Path.Combine(volume.Mountpoint, "owned.txt"), "user.berth"), Is.EqualTo("kept"u8.ToArray()), "xattrs are copied up");
        Assert.That(File.GetUnixFileMode(volume.Mountpoint), Is.EqualTo((UnixFileMode)0x1ED), "the volume's root takes the image directory's mode");

        // Copy-up happens into an empty volume only: a second container on the same volume sees the first one's changes.
        File.Delete(Path.Combine(volume.Mountpoint, "owned.txt"));
        var again = await Engine.RunAsync(Sh("ls /data | tr '\\n' ' '", VolumeTestImage.Name), new HostConfig { Binds = [$"{volume.Name}:/data"] });
        Assert.That(again.Stdout, Is.EqualTo("link new sub "));
    }

    [Test]
    public async Task Nocopy_leaves_the_volume_empty_and_hides_the_image_files()
    {
        var run = await Engine.RunAsync(Sh("ls -A /data | wc -l", VolumeTestImage.Name), new HostConfig { Binds = ["empty-vol:/data:nocopy"] });
        Assert.That(run.Stdout.Trim(), Is.EqualTo("0"));
        Assert.That(Directory.EnumerateFileSystemEntries(Volumes.Get("empty-vol").Mountpoint), Is.Empty);
    }

    [Test]
    public async Task Anonymous_volumes_go_with_rm_v_and_run_rm_and_stay_otherwise()
    {
        var kept = await Engine.RunAsync(new ContainerConfig { Image = "busybox", Cmd = ["true"], Volumes = ["/anon"] });
        string keptVolume = kept.Container.Record.Mounts.Single().Name;
        await Engine.Containers.RemoveAsync(kept.Container.Id, force: false);
        Assert.That(Volumes.TryGet(keptVolume), Is.Not.Null, "rm without -v keeps anonymous volumes");

        var removed = await Engine.RunAsync(new ContainerConfig { Image = "busybox", Cmd = ["true"], Volumes = ["/anon"] }, new HostConfig { Binds = ["named-stays:/named"] });
        string anonymous = removed.Container.Record.Mounts.Single(m => m.Anonymous).Name;
        await Engine.Containers.RemoveAsync(removed.Container.Id, force: false, removeVolumes: true);
        Assert.That(Volumes.TryGet(anonymous), Is.Null);
        Assert.That(Volumes.TryGet("named-stays"), Is.Not.Null);

        var auto = Engine.Containers.Create(null, new ContainerConfig { Image = VolumeTestImage.Name, Cmd = ["true"] }, new HostConfig { AutoRemove = true });
        string autoVolume = auto.Record.Mounts.Single().Name;
        var gone = Engine.Containers.WaitAsync(auto.Id, WaitCondition.Removed);
        await Engine.Containers.StartAsync(auto.Id);
        await gone.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(Volumes.TryGet(autoVolume), Is.Null, "run --rm removes the anonymous volume");
    }

    [Test]
    public async Task A_tmpfs_size_limit_is_enforced_and_its_options_applied()
    {
        var run = await Engine.RunAsync(Sh("grep ' /scratch ' /proc/mounts; dd if=/dev/zero of=/scratch/big bs=1024 count=2048 2>&1 | grep -o 'No space left on device'; du -k /scratch/big"),
            new HostConfig { Tmpfs = new() { ["/scratch"] = "size=1m,mode=1770" } });
        Assert.That(run.Stdout, Does.Contain("tmpfs /scratch tmpfs rw,nosuid,nodev,noexec").And.Contain("size=1024k").And.Contain("mode=1770"));
        Assert.That(run.Stdout, Does.Contain("No space left on device"));

        var mounted = await Engine.RunAsync(Sh("grep ' /m ' /proc/mounts"),
            new HostConfig { Mounts = [new MountSpec { Type = "tmpfs", Target = "/m", TmpfsSizeBytes = 2 * 1024 * 1024, TmpfsMode = 0x1C0 }] });
        Assert.That(mounted.Stdout, Does.Contain("size=2048k").And.Contain("mode=700"));
        Assert.That(mounted.Container.Record.Mounts.Single().Type, Is.EqualTo("tmpfs"));
    }

    [Test]
    public async Task A_volume_with_tmpfs_options_is_mounted_while_used_and_unmounted_after()
    {
        Volumes.Create("opt-vol", null, new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs", ["o"] = "size=1m" });
        var run = await Engine.RunAsync(Sh("grep ' /o ' /proc/mounts"), new HostConfig { Binds = ["opt-vol:/o"] });
        Assert.That(run.Stdout, Does.Contain("tmpfs /o tmpfs").And.Contain("size=1024k"));
        Assert.That(Berth.Engine.Rootfs.MountTable.IsMountPoint(Volumes.Get("opt-vol").Mountpoint), Is.False, "unmounted when the container stopped");
    }

    [Test]
    public async Task Volumes_from_shares_another_container_s_mounts_read_only_when_asked()
    {
        var source = await Engine.RunAsync(Sh("echo from-source > /v/f"), new HostConfig { Binds = ["from-vol:/v"] });
        var reader = await Engine.RunAsync(Sh("cat /v/f; echo x > /v/g"), new HostConfig { VolumesFrom = [source.Container.Name + ":ro"] });
        Assert.That(reader.Stdout, Is.EqualTo("from-source\n"));
        Assert.That(reader.Stderr, Does.Contain("Read-only file system"));
        var writer = await Engine.RunAsync(Sh("echo y > /v/g && cat /v/g"), new HostConfig { VolumesFrom = [source.Container.Id] });
        Assert.That(writer.Stdout, Is.EqualTo("y\n"));
    }

    [TestCase("a/b:/x", "includes invalid characters for a local volume name")]
    [TestCase("..:/x", "includes invalid characters for a local volume name")]
    [TestCase("x:/y:bogus", "invalid mode")]
    public void Bad_volume_binds_are_refused_and_create_nothing(string bind, string message)
    {
        Assert.That(() => Engine.Containers.Create(null, Sh("true"), new HostConfig { Binds = ["good-name:/g", bind] }),
            Throws.TypeOf<InvalidParameterException>().With.Message.Contains(message));
        Assert.That(Volumes.List(), Is.Empty);
        Assert.That(Engine.Containers.List(), Is.Empty);
    }

    [Test]
    public void Bad_mounts_and_tmpfs_options_are_refused_and_create_nothing()
    {
        var config = new ContainerConfig { Image = "busybox", Cmd = ["true"], Volumes = ["/anon"] };
        Assert.That(() => Engine.Containers.Create(null, config, new HostConfig { Mounts = [new MountSpec { Type = "volume", Source = "v1", Target = "/v", VolumeDriver = "nfs-plugin" }] }),
            Throws.TypeOf<VolumeDriverNotFoundException>().With.Message.Contains("plugin \"nfs-plugin\" not found"));
        Assert.That(() => Engine.Containers.Create(null, config, new HostConfig { Tmpfs = new() { ["/t"] = "size=lots" } }),
            Throws.TypeOf<InvalidParameterException>().With.Message.Contains("not a size"));
        Assert.That(() => Engine.Containers.Create(null, config, new HostConfig { Mounts = [new MountSpec { Type = "bind", Source = "/nonexistent-berth-path", Target = "/b" }] }),
            Throws.TypeOf<InvalidParameterException>().With.Message.Contains("bind source path does not exist"));
        Assert.That(() => Engine.Containers.Create(null, config, new HostConfig { Binds = ["v2:/same"], Mounts = [new MountSpec { Type = "tmpfs", Target = "/same" }] }),
            Throws.TypeOf<InvalidParameterException>().With.Message.Contains("Duplicate mount point: /same"));
        Assert.That(Volumes.List(), Is.Empty);
        Assert.That(Engine.Containers.List(), Is.Empty);
    }
}
