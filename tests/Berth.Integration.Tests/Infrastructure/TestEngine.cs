using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Engine.Images;
using Berth.Engine.Logs;
using Berth.Engine.Rootfs;
using Berth.TestImages;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Berth.Integration.Tests.Infrastructure;

/// <summary>
/// An engine on a private data root and cgroup parent, with the fixture images loaded. Disposing it
/// removes every container and then checks that nothing leaked: no mount under the data root, no
/// cgroup under the parent, no process of a container left. A leak fails the test.
/// </summary>
public sealed class TestEngine : IAsyncDisposable
{
    private readonly List<int> _pids = [];

    private TestEngine(ContainerEngine engine, string dataRoot)
    {
        Engine = engine;
        DataRoot = dataRoot;
    }

    public ContainerEngine Engine { get; }

    public string DataRoot { get; }

    public ContainerManager Containers => Engine.Containers;

    public static async Task<TestEngine> StartAsync(bool loadImages = true)
    {
        RootRequirement.Check();
        string baseDir = Environment.GetEnvironmentVariable("BERTH_TEST_DATA_BASE") is { Length: > 0 } b ? b : "/var/tmp";
        string dataRoot = Path.Combine(baseDir, "berth-test-" + Guid.NewGuid().ToString("N")[..12]);
        var options = new EngineOptions
        {
            DataRoot = dataRoot,
            HelperDirectory = RepositoryPaths.HelperDirectory,
            CgroupParent = "berth-test-" + Path.GetFileName(dataRoot)[11..],
        };
        var engine = await ContainerEngine.OpenAsync(options, TestLogging.Factory);
        var test = new TestEngine(engine, dataRoot);
        if (loadImages)
        {
            var images = Berth.TestImages.TestImages.Ensure();
            await test.LoadAsync(images.BusyboxDockerArchive);
            await test.LoadAsync(images.LayeredDockerArchive);
        }
        return test;
    }

    public async Task<IReadOnlyList<Image>> LoadAsync(string archive)
    {
        await using var stream = File.OpenRead(archive);
        return await Engine.Images.LoadAsync(stream);
    }

    /// <summary>Creates, starts and waits for a container; returns its exit and its output from the log.</summary>
    public async Task<RunResult> RunAsync(ContainerConfig config, HostConfig? hostConfig = null, TimeSpan? timeout = null)
    {
        var container = Containers.Create(null, config, hostConfig ?? new HostConfig());
        var exit = Containers.WaitAsync(container.Id, WaitCondition.NextExit);
        await Containers.StartAsync(container.Id);
        _pids.Add(container.State.Pid);
        var result = await exit.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        return new RunResult(container, result, ReadLog(container.LogPath, LogStream.Stdout, DriverOf(container)), ReadLog(container.LogPath, LogStream.Stderr, DriverOf(container)));
    }

    private static string DriverOf(Container container) => container.Record.HostConfig.LogConfig?.Type ?? LogSettings.JsonFile;

    public Task<RunResult> RunAsync(params string[] cmd) => RunAsync(new ContainerConfig { Image = "busybox", Cmd = [.. cmd] });

    /// <summary>Starts a container and returns at once (for stop, kill and leak tests).</summary>
    public async Task<Container> StartAsync(ContainerConfig config, HostConfig? hostConfig = null)
    {
        var container = Containers.Create(null, config, hostConfig ?? new HostConfig());
        await Containers.StartAsync(container.Id);
        _pids.Add(container.State.Pid);
        return container;
    }

    public static string ReadLog(string path, LogStream stream, string driver = LogSettings.JsonFile)
    {
        var text = new System.Text.StringBuilder();
        using var reader = new LogFileReader(path, driver: driver);
        while (reader.ReadAvailable() is { Count: > 0 } entries)
            foreach (var entry in entries.Where(e => e.Stream == stream))
                text.Append(System.Text.Encoding.UTF8.GetString(entry.Line));
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var container in Containers.List())
            await Containers.RemoveAsync(container.Id, force: true);
        string cgroupParent = Engine.Options.CgroupParent;
        var leftoverCgroups = Engine.Cgroups.ListContainerIds();
        await Engine.DisposeAsync();
        bool parentRemoved = Engine.Cgroups.RemoveParentIfEmpty();
        var mounts = MountTable.MountPointsUnder(DataRoot);
        var livePids = _pids.Where(p => p > 0 && IsAlive(p)).ToList();
        try
        {
            Assert.That(mounts, Is.Empty, "mounts left under the data root");
            Assert.That(leftoverCgroups, Is.Empty, $"cgroups left under {cgroupParent}");
            Assert.That(parentRemoved, Is.True, $"cgroup parent {cgroupParent} kept");
            Assert.That(livePids, Is.Empty, "container processes still alive");
        }
        finally
        {
            foreach (string mount in mounts)
                Berth.Interop.Sys.TryUnmount(mount, Berth.Interop.Libc.MNT_DETACH);
            Directory.Delete(DataRoot, recursive: true);
        }
    }

    private static bool IsAlive(int pid)
    {
        string status = $"/proc/{pid}/status";
        if (!File.Exists(status))
            return false;
        try
        {
            return !File.ReadAllText(status).Contains("State:\tZ");
        }
        catch (IOException)
        {
            return false;
        }
    }
}
