using Berth.Engine.Cgroups;
using Berth.Engine.Containers;
using Berth.Engine.Processes;
using Berth.Engine.Tests.Containers.Fakes;
using Berth.Engine.Tests.Images;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Berth.Engine.Tests.Containers;

/// <summary>
/// The container lifecycle over the fake host and cgroups: exits, stop escalation, auto-remove, failed starts, OOM,
/// the exit path when each release step fails, and recovery after a crash. No container really runs.
/// </summary>
[TestFixture]
public sealed class ContainerLifecycleUnitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private string _root = "";
    private FakeLifecycleHost _host = null!;
    private FakeCgroupDriver _cgroups = null!;
    private ContainerEngine _engine = null!;

    private ContainerManager Containers => _engine.Containers;

    [SetUp]
    public async Task OpenEngine()
    {
        _root = Path.Combine(Path.GetTempPath(), "berth-lifecycle-" + Guid.NewGuid().ToString("N")[..12]);
        _host = new FakeLifecycleHost();
        _cgroups = new FakeCgroupDriver();
        _engine = await OpenAsync();
        var image = TestImage.Create([TestImage.SimpleLayer("hello.txt")], tags: ["busybox:latest"]);
        await _engine.Images.LoadAsync(new MemoryStream(TestArchives.Pack(TestArchives.DockerSave(image))));
    }

    private Task<ContainerEngine> OpenAsync() =>
        ContainerEngine.OpenAsync(new EngineOptions { DataRoot = _root }, NullLoggerFactory.Instance, new EngineSeams { Host = _host, Cgroups = _cgroups });

    [TearDown]
    public async Task CloseEngine()
    {
        foreach (var process in _host.Launched)
            process.Exit(0);
        await _engine.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private Container Create(HostConfig? hostConfig = null) =>
        Containers.Create(null, new ContainerConfig { Image = "busybox", Cmd = ["sh", "-c", "exit 7"] }, hostConfig ?? new HostConfig());

    private async Task<(Container Container, FakeProcess Process)> StartAsync(HostConfig? hostConfig = null)
    {
        var container = Create(hostConfig);
        Assert.That(await Containers.StartAsync(container.Id), Is.True);
        return (container, _host.LastLaunched);
    }

    private void AssertReleased(Container container)
    {
        Assert.That(container.State.Running, Is.False);
        Assert.That(container.Runtime, Is.Null, "runtime kept");
        Assert.That(_cgroups.Cgroups.ContainsKey(container.Id), Is.False, "cgroup kept");
        Assert.That(_host.MountCount, Is.Zero, "rootfs still mounted");
    }

    [Test]
    public async Task ExitCodeIsReportedAndTheRunReleased()
    {
        var (container, process) = await StartAsync();
        var wait = Containers.WaitAsync(container.Id, WaitCondition.NotRunning);
        Assert.That(container.State.Status, Is.EqualTo(ContainerStatus.Running));

        process.Exit(7);

        Assert.That((await wait.WaitAsync(Timeout)).ExitCode, Is.EqualTo(7));
        Assert.That(container.State.Status, Is.EqualTo(ContainerStatus.Exited));
        Assert.That(process.Disposed, Is.True, "pidfd kept");
        AssertReleased(container);
    }

    [TestCase("cgroup")]
    [TestCase("unmount")]
    [TestCase("state")]
    public async Task WaitReturnsWhenAReleaseStepFails(string failing)
    {
        var (container, process) = await StartAsync();
        var wait = Containers.WaitAsync(container.Id, WaitCondition.NextExit);
        switch (failing)
        {
            case "cgroup":
                ((FakeContainerCgroup)_cgroups.Cgroups[container.Id]).DestroyFails = true;
                break;
            case "unmount":
                _host.NextUnmountBusy = true;
                break;
            case "state":
                Directory.Delete(container.Directory, recursive: true); // the state cannot be saved
                break;
        }

        process.Exit(7);

        var exit = await wait.WaitAsync(Timeout);
        Assert.That(exit.ExitCode, Is.EqualTo(7));
        Assert.That(container.State.Status, Is.EqualTo(ContainerStatus.Exited));
        Assert.That(container.Runtime, Is.Null);
        Assert.That((await Containers.WaitAsync(container.Id, WaitCondition.NotRunning).WaitAsync(Timeout)).ExitCode, Is.EqualTo(7));
    }

    [Test]
    public async Task StopEscalatesToSigkillWhenTheStopSignalIsIgnored()
    {
        var (container, process) = await StartAsync();
        process.Ignores.Add(15);

        Assert.That(await Containers.StopAsync(container.Id, timeoutSeconds: 0).WaitAsync(Timeout), Is.True);

        Assert.That(process.Signals, Is.EqualTo(new[] { 15, 9 }));
        Assert.That(container.State.ExitCode, Is.EqualTo(137));
        AssertReleased(container);
        Assert.That(await Containers.StopAsync(container.Id), Is.False, "a stopped container is not stopped again (304)");
    }

    [Test]
    public async Task StopEndsWithTheStopSignalWhenItIsHandled()
    {
        var (container, process) = await StartAsync();

        await Containers.StopAsync(container.Id, timeoutSeconds: 10).WaitAsync(Timeout);

        Assert.That(process.Signals, Is.EqualTo(new[] { 15 }));
        Assert.That(container.State.ExitCode, Is.EqualTo(143));
    }

    [Test]
    public async Task AutoRemoveRemovesAfterTheExit()
    {
        var (container, process) = await StartAsync(new HostConfig { AutoRemove = true });
        var removed = Containers.WaitAsync(container.Id, WaitCondition.Removed);

        process.Exit(3);

        Assert.That((await removed.WaitAsync(Timeout)).ExitCode, Is.EqualTo(3));
        Assert.That(() => Containers.Get(container.Id), Throws.TypeOf<ContainerNotFoundException>());
        Assert.That(Directory.Exists(container.Directory), Is.False);
    }

    [TestCase(127)]
    [TestCase(126)]
    public async Task AFailedStartReleasesWhatItTookAndRecordsTheError(int code)
    {
        var container = Create();
        _host.NextLaunchFailure = new ContainerStartException(code, "exec: \"nope\": executable file not found in $PATH");

        var failure = Assert.ThrowsAsync<ContainerStartException>(() => Containers.StartAsync(container.Id));

        Assert.That(failure!.ExitCode, Is.EqualTo(code));
        Assert.That(failure.Kind, Is.EqualTo(ErrorKind.InvalidParameter));
        Assert.That(container.State.ExitCode, Is.EqualTo(code));
        Assert.That(container.State.Error, Does.Contain("executable file not found"));
        Assert.That(container.State.Status, Is.EqualTo(ContainerStatus.Created));
        AssertReleased(container);
        Assert.That((await Containers.WaitAsync(container.Id, WaitCondition.NotRunning).WaitAsync(Timeout)).ExitCode, Is.EqualTo(code));
    }

    [Test]
    public async Task AFailedStartOfAnAutoRemoveContainerRemovesIt()
    {
        var container = Create(new HostConfig { AutoRemove = true });
        var removed = Containers.WaitAsync(container.Id, WaitCondition.Removed);
        _host.NextLaunchFailure = new ContainerStartException(127, "not found");

        Assert.ThrowsAsync<ContainerStartException>(() => Containers.StartAsync(container.Id));

        await removed.WaitAsync(Timeout);
        Assert.That(() => Containers.Get(container.Id), Throws.TypeOf<ContainerNotFoundException>());
    }

    [Test]
    public async Task AnOomKillIsReported()
    {
        var (container, process) = await StartAsync();
        ((FakeContainerCgroup)_cgroups.Cgroups[container.Id]).OomKilled = true;
        var wait = Containers.WaitAsync(container.Id, WaitCondition.NextExit);

        process.Exit(137);

        var exit = await wait.WaitAsync(Timeout);
        Assert.That(exit.ExitCode, Is.EqualTo(137));
        Assert.That(exit.OOMKilled, Is.True);
        Assert.That(container.State.OOMKilled, Is.True);
    }

    [Test]
    public async Task ManyShortRunsReportTheirOwnExitCodes()
    {
        var runs = new List<(Container Container, Task<ContainerExit> Exit, int Code)>();
        for (int code = 0; code < 40; code++)
        {
            _host.ExitAtOnce = code;
            var container = Create();
            var exit = Containers.WaitAsync(container.Id, WaitCondition.NextExit);
            await Containers.StartAsync(container.Id);
            runs.Add((container, exit, code));
        }
        foreach (var (container, exit, code) in runs)
            Assert.That((await exit.WaitAsync(Timeout)).ExitCode, Is.EqualTo(code), container.Name);
    }

    [Test]
    public async Task RemoveOfARunningContainerNeedsForce()
    {
        var (container, process) = await StartAsync();

        Assert.That(() => Containers.RemoveAsync(container.Id, force: false), Throws.TypeOf<ContainerConflictException>());
        await Containers.RemoveAsync(container.Id, force: true).WaitAsync(Timeout);

        Assert.That(process.Signals, Does.Contain(9));
        Assert.That(() => Containers.Get(container.Id), Throws.TypeOf<ContainerNotFoundException>());
    }

    [Test]
    public async Task ARemovalThatFailsLeavesTheContainerDeadAndRemovable()
    {
        var container = Create();
        _host.LeaveMounted(container.Rootfs.MergedDirectory);
        _host.NextUnmountBusy = true;

        Assert.That(() => Containers.RemoveAsync(container.Id, force: false), Throws.InstanceOf<Exception>());
        Assert.That(container.State.Status, Is.EqualTo(ContainerStatus.Dead));

        await Containers.RemoveAsync(container.Id, force: false);
        Assert.That(() => Containers.Get(container.Id), Throws.TypeOf<ContainerNotFoundException>());
    }

    [Test]
    public async Task RecoveryMarksARunningContainerOfACrashedEngineExitedAndFreesItsResources()
    {
        var container = Create();
        string id = container.Id;
        await _engine.DisposeAsync();
        // What a kill -9 during the run leaves: state "running", a cgroup with a process, the rootfs mounted.
        var store = new ContainerStore(Path.Combine(_root, "containers"), NullLogger.Instance);
        store.SaveState(id, new ContainerState { Status = ContainerStatus.Running, Pid = 4242 });
        var cgroup = (FakeContainerCgroup)_cgroups.Create(id, new CgroupLimits());
        cgroup.Members.Add(4242);
        _host.LeaveMounted(container.Rootfs.MergedDirectory);

        _engine = await OpenAsync();

        var recovered = _engine.Containers.Get(id);
        Assert.That(recovered.State.Status, Is.EqualTo(ContainerStatus.Exited));
        Assert.That(recovered.State.ExitCode, Is.EqualTo(137));
        Assert.That(_cgroups.Cgroups, Is.Empty);
        Assert.That(_host.MountCount, Is.Zero);
    }

    [Test]
    public async Task RecoveryRemovesAContainerWhoseCreateWasCutShort()
    {
        await _engine.DisposeAsync();
        // A kill -9 between the state and the record of a create: a directory without config.json.
        string id = new string('a', 64);
        string directory = Path.Combine(_root, "containers", id);
        var store = new ContainerStore(Path.Combine(_root, "containers"), NullLogger.Instance);
        Directory.CreateDirectory(directory);
        store.SaveState(id, new ContainerState());
        _cgroups.Create(id, new CgroupLimits());

        _engine = await OpenAsync();

        Assert.That(Directory.Exists(directory), Is.False);
        Assert.That(_cgroups.Cgroups, Is.Empty);
        Assert.That(() => _engine.Containers.Get(id), Throws.TypeOf<ContainerNotFoundException>());
    }

    [Test]
    public async Task PausedContainersRefuseStartAndPauseAndStopThawsThem()
    {
        var (container, process) = await StartAsync();
        await Containers.PauseAsync(container.Id);

        Assert.That(() => Containers.PauseAsync(container.Id), Throws.TypeOf<ContainerConflictException>());
        Assert.That(() => Containers.StartAsync(container.Id), Throws.TypeOf<ContainerConflictException>());
        Assert.That(() => Containers.RemoveAsync(container.Id, force: false), Throws.TypeOf<ContainerConflictException>());
        await Containers.StopAsync(container.Id, timeoutSeconds: 5).WaitAsync(Timeout);

        Assert.That(_cgroups.Cgroups.ContainsKey(container.Id), Is.False);
        Assert.That(process.Signals, Is.EqualTo(new[] { 15 }));
    }
}
