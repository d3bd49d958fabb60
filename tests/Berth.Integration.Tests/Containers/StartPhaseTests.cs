using Berth.Engine.Containers;
using Berth.Engine.Containers.Start;
using Berth.Engine.Processes;
using Berth.Engine.Rootfs;
using Berth.Integration.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Integration.Tests.Containers;

/// <summary>
/// The start phase between clone and exec with a real berth-launcher and berth-init: a step inserted before "exec"
/// sees the child's pid and namespaces while berth-init waits for Continue, and a step that fails there ends the
/// start with its error and leaves no process, cgroup or mount behind.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class StartPhaseTests : EngineFixture
{
    private Action<StartContext>? _probe;

    [OneTimeSetUp]
    public void InsertProbe() =>
        Engine.Containers.Pipeline.Insert(new ProbeStep(context => _probe?.Invoke(context)), before: "exec");

    [TearDown]
    public void ClearProbe() => _probe = null;

    [Test]
    public async Task A_step_before_exec_acts_on_the_childs_namespaces_before_the_command_runs()
    {
        int pid = 0;
        string exe = "", netns = "";
        _probe = context =>
        {
            pid = context.ChildPid ?? 0;
            exe = new FileInfo($"/proc/{pid}/exe").LinkTarget ?? "";
            netns = new FileInfo($"/proc/{pid}/ns/net").LinkTarget ?? "";
            // A file the container will see: written by berthd while the child waits for Continue.
            File.WriteAllText(Path.Combine(context.Container.Rootfs.MergedDirectory, "start-phase-probe"), netns + "\n");
        };

        var run = await Engine.RunAsync("sh", "-c", "readlink /proc/self/ns/net; cat /start-phase-probe");

        Assert.That(run.Exit.ExitCode, Is.Zero, run.Stderr);
        Assert.That(pid, Is.GreaterThan(0));
        Assert.That(Path.GetFileName(exe), Is.EqualTo("berth-init"), "the command was exec'd before the step ran");
        Assert.That(netns, Does.Match(@"^net:\[\d+\]$"));
        Assert.That(netns, Is.Not.EqualTo(new FileInfo("/proc/self/ns/net").LinkTarget), "the child is still in the host's network namespace");
        Assert.That(run.Stdout, Is.EqualTo($"{netns}\n{netns}\n"), "the container's namespace or the step's file differ");
    }

    [Test]
    public async Task A_failing_step_before_exec_fails_the_start_and_leaves_nothing_behind()
    {
        int pid = 0;
        _probe = context =>
        {
            pid = context.ChildPid ?? 0;
            throw new InvalidOperationException("moving the veth failed: no such device");
        };
        var container = Engine.Containers.Create(null, new ContainerConfig { Image = "busybox", Cmd = ["true"] }, new HostConfig());

        var error = Assert.ThrowsAsync<ContainerStartException>(() => Engine.Containers.StartAsync(container.Id));

        Assert.That(error!.Message, Is.EqualTo("moving the veth failed: no such device"));
        Assert.That(container.State.Status, Is.EqualTo(ContainerStatus.Created));
        Assert.That(container.State.Error, Is.EqualTo(error.Message));
        Assert.That(pid, Is.GreaterThan(0));
        Assert.That(Directory.Exists($"/proc/{pid}"), Is.False, "the child was not killed and reaped");
        Assert.That(Engine.Engine.Cgroups.ListContainerIds(), Does.Not.Contain(container.Id), "cgroup left");
        Assert.That(MountTable.MountPointsUnder(Engine.DataRoot), Is.Empty, "mount left");
        await Engine.Containers.RemoveAsync(container.Id, force: false);
    }

    private sealed class ProbeStep(Action<StartContext> run) : IStartStep
    {
        public string Name => "probe";

        public Task StartAsync(StartContext context, CancellationToken ct)
        {
            run(context);
            return Task.CompletedTask;
        }

        public Task ReleaseAsync(StartContext context) => Task.CompletedTask;
    }
}
