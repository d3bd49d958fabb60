using System.Formats.Tar;
using System.Text;
using Berth.Engine.Archive;
using Berth.Engine.Containers;
using Berth.Engine.Rootfs;
using Berth.Integration.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Integration.Tests.Containers;

/// <summary>docker cp (stat, get, put), diff and export on running and stopped containers, and that none of them leaves the container.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ContainerArchiveTests : EngineFixture
{
    private const string Setup =
        "mkdir -p /data/tree/sub && echo alpha > /data/tree/a.txt && echo beta > /data/tree/sub/b.txt && " +
        "chmod 0640 /data/tree/a.txt && chown 1000:1001 /data/tree/sub/b.txt && ln -s a.txt /data/tree/link && " +
        "ln /data/tree/a.txt /data/tree/hard && ln -s /etc/passwd /link";

    private string _sentinel = null!;

    private ContainerFiles Files => Engine.Engine.Files;

    [OneTimeSetUp]
    public void CreateSentinel()
    {
        // A host directory whose name a container's symlinks point at: nothing may ever read or write it.
        _sentinel = Path.Combine("/tmp", "berth-sentinel-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_sentinel);
        File.WriteAllText(Path.Combine(_sentinel, "secret"), "host secret\n");
    }

    [OneTimeTearDown]
    public void DeleteSentinel()
    {
        if (_sentinel is not null)
            Directory.Delete(_sentinel, recursive: true);
    }

    private static ContainerConfig Busybox(params string[] cmd) => new() { Image = "busybox", Cmd = [.. cmd] };

    /// <summary>A running container that ran <paramref name="setup"/> and then sleeps.</summary>
    private async Task<Container> RunningAsync(string setup, HostConfig? hostConfig = null, string image = "busybox")
    {
        var container = await Engine.StartAsync(new ContainerConfig { Image = image, Cmd = ["sh", "-c", setup + " && touch /ready && exec sleep 3600"] }, hostConfig);
        for (int i = 0; i < 600; i++)
        {
            try
            {
                await Files.StatPathAsync(container.Id, "/ready");
                return container;
            }
            catch (ContainerPathNotFoundException)
            {
                Assert.That(container.State.Running, Is.True, TestEngine.ReadLog(container.LogPath, Berth.Engine.Logs.LogStream.Stderr));
                await Task.Delay(50);
            }
        }
        throw new TimeoutException("the container's setup did not finish");
    }

    /// <summary>A stopped container that ran <paramref name="setup"/>.</summary>
    private async Task<Container> StoppedAsync(string setup, string image = "busybox")
    {
        var run = await Engine.RunAsync(new ContainerConfig { Image = image, Cmd = ["sh", "-c", setup] });
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
        return run.Container;
    }

    private async Task<Container> PreparedAsync(bool running, string setup) => running ? await RunningAsync(setup) : await StoppedAsync(setup);

    private static void AssertNotMounted(Container container) =>
        Assert.That(MountTable.MountPointsUnder(container.Directory), Is.Empty, "a stopped container's rootfs is not left mounted");

    [TestCase(true)]
    [TestCase(false)]
    public async Task Stat_reports_files_directories_and_symlinks_as_docker_does(bool running)
    {
        var container = await PreparedAsync(running, Setup);

        var file = await Files.StatPathAsync(container.Id, "/data/tree/a.txt");
        Assert.That((file.Name, file.Size, file.Mode, file.LinkTarget), Is.EqualTo(("a.txt", 6L, 0x1A0u, "")));
        var directory = await Files.StatPathAsync(container.Id, "data/tree/");
        Assert.That((directory.Name, directory.Mode), Is.EqualTo(("tree", GoFileMode.Dir | 0x1EDu)));
        var link = await Files.StatPathAsync(container.Id, "/link");
        Assert.That((link.Name, link.Mode, link.LinkTarget), Is.EqualTo(("link", GoFileMode.Symlink | 0x1FFu, "/etc/passwd")));
        var relative = await Files.StatPathAsync(container.Id, "/data/tree/link");
        Assert.That(relative.LinkTarget, Is.EqualTo("/data/tree/a.txt"), "resolved fully, as FollowSymlinkInScope does");
        var root = await Files.StatPathAsync(container.Id, "/");
        Assert.That((root.Name, root.IsDirectory), Is.EqualTo(("/", true)));
        Assert.That(() => Files.StatPathAsync(container.Id, "/no/such/file"),
            Throws.TypeOf<ContainerPathNotFoundException>().With.Message.EqualTo($"Could not find the file /no/such/file in container {container.Id}"));
        if (!running)
            AssertNotMounted(container);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Get_a_file_and_a_directory_tree(bool running)
    {
        var container = await PreparedAsync(running, Setup);

        var file = await GetAsync(container, "/etc/passwd");
        Assert.That(file.Select(e => e.Name), Is.EqualTo(new[] { "passwd" }));
        Assert.That(file[0].Text, Does.StartWith("root:x:0:0:root:/root:/bin/sh\n"));

        var tree = await GetAsync(container, "/data/tree");
        Assert.That(tree.Select(e => e.Name), Is.EqualTo(new[] { "tree/", "tree/a.txt", "tree/hard", "tree/link", "tree/sub/", "tree/sub/b.txt" }));
        var byName = tree.ToDictionary(e => e.Name);
        Assert.That((byName["tree/a.txt"].Type, byName["tree/a.txt"].Mode, byName["tree/a.txt"].Text), Is.EqualTo((TarEntryType.RegularFile, 0x1A0, "alpha\n")));
        Assert.That((byName["tree/hard"].Type, byName["tree/hard"].LinkName), Is.EqualTo((TarEntryType.HardLink, "tree/a.txt")));
        Assert.That((byName["tree/link"].Type, byName["tree/link"].LinkName), Is.EqualTo((TarEntryType.SymbolicLink, "a.txt")));
        Assert.That((byName["tree/sub/b.txt"].Uid, byName["tree/sub/b.txt"].Gid), Is.EqualTo((1000, 1001)));
        Assert.That(byName["tree/"].Type, Is.EqualTo(TarEntryType.Directory));

        var link = await GetAsync(container, "/link");
        Assert.That((link.Single().Name, link.Single().Type, link.Single().LinkName), Is.EqualTo(("link", TarEntryType.SymbolicLink, "/etc/passwd")),
            "the last symlink is archived as a symlink; docker cp -L asks for its target itself");
        var contents = await GetAsync(container, "/data/tree/.");
        Assert.That(contents.Select(e => e.Name), Does.Contain("./").And.Contain("./sub/b.txt"));
        if (!running)
            AssertNotMounted(container);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Put_a_file_and_a_tree(bool running)
    {
        // Stopped, the container's command shows the files when it starts again.
        var container = await PreparedAsync(running, "mkdir -p /in && (cat /in/hello.txt /in/dir/to-hello 2>/dev/null || true)");
        var tar = new TarBuilder()
            .File("hello.txt", "hello\n", mode: 0x1ED, uid: 1000, gid: 1000)
            .Directory("dir/")
            .File("dir/nested/deep.txt", "deep\n")
            .Symlink("dir/to-hello", "../hello.txt");
        await Files.PutArchiveAsync(container.Id, "/in", tar.Stream());

        var stat = await Files.StatPathAsync(container.Id, "/in/hello.txt");
        Assert.That((stat.Size, stat.Mode), Is.EqualTo((6L, 0x1EDu)));
        var back = await GetAsync(container, "/in");
        Assert.That(back.Select(e => e.Name), Is.EqualTo(new[] { "in/", "in/dir/", "in/dir/nested/", "in/dir/nested/deep.txt", "in/dir/to-hello", "in/hello.txt" }));
        Assert.That(back.Single(e => e.Name == "in/hello.txt").Uid, Is.EqualTo(1000));
        string upper = Path.Combine(container.Directory, "upper", "in");
        Assert.That(File.ReadAllText(Path.Combine(upper, "dir/nested/deep.txt")), Is.EqualTo("deep\n"), "written to the container's upper dir");

        if (running)
            return;
        AssertNotMounted(container);
        // The lifecycle lock was released: the container starts again and sees the files.
        var exit = Engine.Containers.WaitAsync(container.Id, WaitCondition.NextExit);
        await Engine.Containers.StartAsync(container.Id);
        await exit.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(TestEngine.ReadLog(container.LogPath, Berth.Engine.Logs.LogStream.Stdout), Is.EqualTo("hello\nhello\n"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Symlinks_to_host_paths_resolve_inside_the_container(bool running)
    {
        string name = Path.GetFileName(_sentinel);
        var container = await PreparedAsync(running,
            $"mkdir -p /tmp/{name} && echo container > /tmp/{name}/secret && ln -s /tmp/{name} /abs && " +
            $"ln -s ../../../../../../../../tmp/{name} /data-rel && ln -s /etc /etcl && mkdir -p /data && ln -s / /data/root");

        // Get through an absolute and a relative symlink: the container's file, never the host's.
        foreach (string path in new[] { "/abs/secret", "/data-rel/secret", "/data/root/tmp/" + name + "/secret", "/data/../../../tmp/" + name + "/secret" })
            Assert.That((await GetAsync(container, path)).Single().Text, Is.EqualTo("container\n"), path);
        Assert.That((await Files.StatPathAsync(container.Id, "/data-rel")).LinkTarget, Is.EqualTo($"/tmp/{name}"));

        // Put with a symlink as the destination: followed inside the container.
        string marker = "berth-marker-" + Guid.NewGuid().ToString("N")[..8];
        await Files.PutArchiveAsync(container.Id, "/abs", new TarBuilder().File(marker, "in\n").Stream());
        await Files.PutArchiveAsync(container.Id, "/data-rel", new TarBuilder().File(marker + "-rel", "in\n").Stream());
        await Files.PutArchiveAsync(container.Id, "/etcl", new TarBuilder().File(marker, "in\n").Stream());
        Assert.That((await GetAsync(container, $"/tmp/{name}/{marker}")).Single().Text, Is.EqualTo("in\n"));
        Assert.That((await GetAsync(container, $"/tmp/{name}/{marker}-rel")).Single().Text, Is.EqualTo("in\n"));
        Assert.That((await GetAsync(container, $"/etc/{marker}")).Single().Text, Is.EqualTo("in\n"));

        // Entries through a symlink of the container or of the archive itself are refused.
        Assert.That(() => Files.PutArchiveAsync(container.Id, "/", new TarBuilder().File($"etcl/{marker}-2", "x").Stream()),
            Throws.TypeOf<Berth.Engine.InvalidParameterException>().With.Message.Contains("through symlink `etcl`"));
        Assert.That(() => Files.PutArchiveAsync(container.Id, "/data", new TarBuilder().File($"root/etc/{marker}-3", "x").Stream()),
            Throws.TypeOf<Berth.Engine.InvalidParameterException>().With.Message.Contains("through symlink"));
        Assert.That(() => Files.PutArchiveAsync(container.Id, "/", new TarBuilder().Symlink("sneaky", _sentinel).File($"sneaky/{marker}-4", "x").Stream()),
            Throws.TypeOf<Berth.Engine.InvalidParameterException>().With.Message.Contains("through symlink `sneaky`"));

        Assert.That(Directory.GetFileSystemEntries(_sentinel).Select(Path.GetFileName), Is.EqualTo(new[] { "secret" }), "the host directory was not written");
        Assert.That(File.ReadAllText(Path.Combine(_sentinel, "secret")), Is.EqualTo("host secret\n"));
        Assert.That(File.Exists($"/etc/{marker}"), Is.False);
        Assert.That(Directory.GetFiles("/etc", "berth-marker-*"), Is.Empty);
        if (!running)
            AssertNotMounted(container);
    }

    [Test]
    public async Task Archives_with_absolute_or_dotdot_names_or_outside_hardlinks_are_refused()
    {
        var container = await StoppedAsync("mkdir -p /in");
        string name = Path.GetFileName(_sentinel);
        var bad = new (string What, TarBuilder Tar)[]
        {
            ("dotdot", new TarBuilder().File($"../../../../tmp/{name}/x", "x")),
            ("absolute", new TarBuilder().File($"{_sentinel}/x", "x")),
            ("inner dotdot", new TarBuilder().File("a/../../x", "x")),
            ("hardlink out", new TarBuilder().HardLink("h", $"../../../../tmp/{name}/secret")),
            ("hardlink absolute", new TarBuilder().HardLink("h", $"{_sentinel}/secret")),
        };
        foreach (var (what, tar) in bad)
            Assert.That(() => Files.PutArchiveAsync(container.Id, "/in", tar.Stream()), Throws.TypeOf<Berth.Engine.InvalidParameterException>(), what);
        Assert.That(Directory.GetFileSystemEntries(_sentinel).Select(Path.GetFileName), Is.EqualTo(new[] { "secret" }));
        AssertNotMounted(container);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Put_errors_match_docker(bool running)
    {
        var container = await PreparedAsync(running, "mkdir -p /in/dir && touch /in/file");
        var tar = new TarBuilder().File("x", "x");
        Assert.That(() => Files.PutArchiveAsync(container.Id, "/nope", tar.Stream()), Throws.TypeOf<ContainerPathNotFoundException>());
        Assert.That(() => Files.PutArchiveAsync(container.Id, "/in/file", tar.Stream()), Throws.TypeOf<Berth.Engine.InvalidParameterException>().With.Message.EqualTo("extraction point is not a directory"));
        Assert.That(() => Files.PutArchiveAsync(container.Id, "/in", new TarBuilder().File("dir", "x").Stream(), noOverwriteDirNonDir: true),
            Throws.TypeOf<Berth.Engine.InvalidParameterException>().With.Message.Contains("cannot overwrite directory"));
        Assert.That(() => Files.PutArchiveAsync(container.Id, "/in", new TarBuilder().Directory("file/").Stream(), noOverwriteDirNonDir: true),
            Throws.TypeOf<Berth.Engine.InvalidParameterException>().With.Message.Contains("cannot overwrite non-directory"));
        Assert.That(() => Files.PutArchiveAsync(container.Id, "/in", new MemoryStream(Encoding.ASCII.GetBytes(new string('x', 1024)))), Throws.TypeOf<Berth.Engine.InvalidParameterException>());

        // Without the flag, docker replaces either way.
        await Files.PutArchiveAsync(container.Id, "/in", new TarBuilder().File("dir", "now a file\n").Directory("file/").Stream());
        Assert.That((await Files.StatPathAsync(container.Id, "/in/dir")).IsDirectory, Is.False);
        Assert.That((await Files.StatPathAsync(container.Id, "/in/file")).IsDirectory, Is.True);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task A_read_only_rootfs_refuses_put(bool running)
    {
        var config = Busybox("sh", "-c", running ? "touch /dev/shm/ready; exec sleep 3600" : "true");
        var hostConfig = new HostConfig { ReadonlyRootfs = true };
        Container container;
        if (running)
            container = await Engine.StartAsync(config, hostConfig);
        else
            container = (await Engine.RunAsync(config, hostConfig)).Container;
        Assert.That(() => Files.PutArchiveAsync(container.Id, "/tmp", new TarBuilder().File("x", "x").Stream()),
            Throws.TypeOf<Berth.Engine.InvalidParameterException>().With.Message.EqualTo("container rootfs is marked read-only"));
        Assert.That(File.Exists(Path.Combine(container.Directory, "upper", "tmp", "x")), Is.False);
    }

    [Test]
    public async Task Copy_into_a_created_container_before_its_first_start()
    {
        var container = Engine.Containers.Create(null, Busybox("cat", "/etc/berth-config"), new HostConfig());
        await Files.PutArchiveAsync(container.Id, "/etc", new TarBuilder().File("berth-config", "configured\n").Stream());
        AssertNotMounted(container);
        var exit = Engine.Containers.WaitAsync(container.Id, WaitCondition.NextExit);
        await Engine.Containers.StartAsync(container.Id);
        Assert.That((await exit.WaitAsync(TimeSpan.FromSeconds(60))).ExitCode, Is.EqualTo(0));
        Assert.That(TestEngine.ReadLog(container.LogPath, Berth.Engine.Logs.LogStream.Stdout), Is.EqualTo("configured\n"));
    }

    [Test]
    public async Task A_bind_mount_point_is_never_emptied_to_be_replaced()
    {
        string host = Path.Combine(Engine.DataRoot, "cp-keep-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(host);
        File.WriteAllText(Path.Combine(host, "precious.txt"), "keep\n");
        var container = await RunningAsync("true", new HostConfig { Binds = [$"{host}:/mnt/keep"] });
        Assert.That(() => Files.PutArchiveAsync(container.Id, "/mnt", new TarBuilder().File("keep", "a file now").Stream()),
            Throws.TypeOf<Berth.Engine.InvalidParameterException>().With.Message.Contains("mount point"));
        Assert.That(File.ReadAllText(Path.Combine(host, "precious.txt")), Is.EqualTo("keep\n"));
    }

    [Test]
    public async Task A_running_container_shows_its_bind_mounts_but_not_the_inside_of_proc()
    {
        string host = Path.Combine(Engine.DataRoot, "cp-bind-" + Guid.NewGuid().ToString("N")[..8]);
        string readOnly = host + "-ro";
        Directory.CreateDirectory(host);
        Directory.CreateDirectory(readOnly);
        File.WriteAllText(Path.Combine(host, "in.txt"), "from host\n");
        var container = await RunningAsync("true", new HostConfig { Binds = [$"{host}:/mnt/data", $"{readOnly}:/mnt/ro:ro"] });

        Assert.That((await GetAsync(container, "/mnt/data/in.txt")).Single().Text, Is.EqualTo("from host\n"));
        await Files.PutArchiveAsync(container.Id, "/mnt/data", new TarBuilder().File("out.txt", "from cp\n").Stream());
        Assert.That(File.ReadAllText(Path.Combine(host, "out.txt")), Is.EqualTo("from cp\n"), "written through the bind mount, as docker cp does");
        Assert.That(() => Files.PutArchiveAsync(container.Id, "/mnt/ro", new TarBuilder().File("x", "x").Stream()),
            Throws.TypeOf<Berth.Engine.InvalidParameterException>().With.Message.EqualTo("mounted volume is marked read-only"));

        Assert.That((await Files.StatPathAsync(container.Id, "/proc")).IsDirectory, Is.True);
        Assert.That(() => Files.StatPathAsync(container.Id, "/proc/1/environ"), Throws.TypeOf<ContainerPathNotFoundException>());
        Assert.That(() => Files.StatPathAsync(container.Id, "/proc/self/root/etc/passwd"), Throws.TypeOf<ContainerPathNotFoundException>());
        Assert.That((await GetAsync(container, "/proc")).Select(e => e.Name), Is.EqualTo(new[] { "proc/" }));
        Assert.That(() => Files.PutArchiveAsync(container.Id, "/proc", new TarBuilder().File("x", "x").Stream()), Throws.TypeOf<Berth.Engine.InvalidParameterException>());
        var sys = await GetAsync(container, "/sys");
        Assert.That(sys.Select(e => e.Name), Is.EqualTo(new[] { "sys/" }));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Diff_reports_added_changed_and_deleted_paths_like_docker(bool running)
    {
        var container = await PreparedAsync(running, "touch /new && rm /etc/group && echo x >> /etc/passwd");
        var changes = await Files.ChangesAsync(container.Id);
        var expected = new[] { "C /etc", "D /etc/group", "C /etc/passwd", "A /new" };
        if (running)
            expected = [.. expected, "A /ready"];
        Assert.That(changes.Select(c => c.ToString()), Is.EqualTo(expected));
        Assert.That(changes.Single(c => c.Path == "/new").Kind, Is.EqualTo(ChangeKind.Added));
    }

    [Test]
    public async Task Diff_of_a_layered_image_sees_through_its_whiteouts_and_opaque_directories()
    {
        var container = await StoppedAsync(
            "rm /data/keep.txt && rm -rf /opaque && mkdir /opaque && touch /opaque/x && echo again > /data/gone.txt && mkdir -p /new/dir",
            image: "busybox-layers");
        var changes = await Files.ChangesAsync(container.Id);
        // gone.txt is whited out in the image: writing it is an addition. /opaque was recreated (an opaque dir
        // in the upper dir): the image's new.txt is deleted; a.txt and sub/ were never visible.
        Assert.That(changes.Select(c => c.ToString()), Is.EqualTo(new[]
        {
            "C /data", "A /data/gone.txt", "D /data/keep.txt", "A /new", "A /new/dir", "C /opaque", "D /opaque/new.txt", "A /opaque/x",
        }));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Export_is_the_merged_rootfs(bool running)
    {
        string host = Path.Combine(Engine.DataRoot, "export-bind-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(host);
        File.WriteAllText(Path.Combine(host, "bound.txt"), "bound\n");
        var container = running
            ? await RunningAsync("touch /new && rm /data/keep.txt", new HostConfig { Binds = [$"{host}:/mnt/host"] }, image: "busybox-layers")
            : await StoppedAsync("touch /new && rm /data/keep.txt", image: "busybox-layers");
        using var buffer = new MemoryStream();
        await Files.ExportAsync(container.Id, buffer);
        var entries = ReadTar(buffer.ToArray());
        var names = entries.Select(e => e.Name).ToList();

        Assert.That(names, Does.Contain("new").And.Contain("bin/").And.Contain("etc/passwd").And.Contain("data/added.txt").And.Contain("opaque/new.txt"));
        Assert.That(names, Does.Not.Contain("data/keep.txt").And.Not.Contain("data/gone.txt").And.Not.Contain("opaque/a.txt").And.Not.Contain("opaque/sub/"));
        Assert.That(names.Where(n => n.Contains(".wh.")), Is.Empty);
        Assert.That(names.Where(n => n.StartsWith('/') || n.StartsWith("./")), Is.Empty, "relative names, no root entry");
        Assert.That(entries.Single(e => e.Name == "etc/motd").Text, Is.EqualTo("upper motd\n"));
        Assert.That(entries.Single(e => e.Name == "bin/sh").Type, Is.EqualTo(TarEntryType.SymbolicLink));
        Assert.That(names.Where(n => n.StartsWith("proc/", StringComparison.Ordinal) && n != "proc/"), Is.Empty);
        // The mount point is a directory of the rootfs (berth-init made it); what is mounted there is not exported.
        Assert.That(names.Where(n => n.StartsWith("mnt/host/", StringComparison.Ordinal)), Is.EqualTo(running ? new[] { "mnt/host/" } : []), "no bind mounts");
        if (!running)
            AssertNotMounted(container);
    }

    [Test]
    public async Task Operations_on_a_stopped_container_do_not_block_a_later_start_or_removal()
    {
        var container = await StoppedAsync("echo one > /one");
        await using (var archive = await Files.OpenArchiveAsync(container.Id, "/one"))
        {
            var start = Engine.Containers.StartAsync(container.Id);
            Assert.That(start.IsCompleted, Is.False, "a start waits while a stopped container's files are open");
            using var buffer = new MemoryStream();
            await archive.WriteToAsync(buffer);
            await archive.DisposeAsync();
            await start.WaitAsync(TimeSpan.FromSeconds(60));
            await archive.DisposeAsync();
        }
        await Engine.Containers.WaitAsync(container.Id, WaitCondition.NotRunning).WaitAsync(TimeSpan.FromSeconds(60));
        await Engine.Containers.RemoveAsync(container.Id, force: true);
        Assert.That(() => Files.StatPathAsync(container.Id, "/one"), Throws.TypeOf<ContainerNotFoundException>());
    }

    [Test]
    public async Task A_container_that_exits_while_its_files_are_read_is_still_cleaned_up()
    {
        var container = await RunningAsync("echo one > /one");
        await using var archive = await Files.OpenArchiveAsync(container.Id, "/");
        await Engine.Containers.StopAsync(container.Id, timeoutSeconds: 0);
        Assert.That(container.State.Running, Is.False);
        Assert.That(MountTable.MountPointsUnder(container.Directory), Is.Empty, "the exit unmounted the rootfs although the view was open");
        using var buffer = new MemoryStream();
        await archive.WriteToAsync(buffer);
        Assert.That(ReadTar(buffer.ToArray()).Single(e => e.Name == "/one").Text, Is.EqualTo("one\n"));
    }

    private async Task<List<Entry>> GetAsync(Container container, string path)
    {
        using var buffer = new MemoryStream();
        var stat = await Files.GetArchiveAsync(container.Id, path, buffer);
        var entries = ReadTar(buffer.ToArray());
        Assert.That(entries[0].Name.TrimEnd('/'), Is.EqualTo(stat.Name == "/" ? "" : stat.Name), "the first entry is the path's base name");
        return entries;
    }

    private static List<Entry> ReadTar(byte[] tar)
    {
        var entries = new List<Entry>();
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            string text = entry.DataStream is { } data ? new StreamReader(data).ReadToEnd() : "";
            entries.Add(new Entry(entry.Name, entry.EntryType, (int)entry.Mode, entry.Uid, entry.Gid, entry.LinkName, text));
        }
        return entries;
    }

    private sealed record Entry(string Name, TarEntryType Type, int Mode, int Uid, int Gid, string LinkName, string Text);
}
