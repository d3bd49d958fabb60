using Berth.Engine.Containers;
using Berth.Integration.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Integration.Tests.Containers;

/// <summary>pause/unpause, restart, rename and the event stream.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ContainerOperationsTests : EngineFixture
{

    private static ContainerConfig Counter(string file) =>
        new() { Image = "busybox", Cmd = ["sh", "-c", $"i=0; while true; do i=$((i+1)); echo $i > {file}; sleep 0.05; done"] };

    [Test]
    public async Task Pause_stops_a_counter_and_unpause_resumes_it()
    {
        var container = await Engine.StartAsync(Counter("/tmp/count"));
        string countFile = Path.Combine(container.Rootfs.UpperDirectory, "tmp/count");
        await Until(() => File.Exists(countFile) && ReadCount(countFile) > 2);

        await Engine.Containers.PauseAsync(container.Id);
        Assert.That(container.State.Status, Is.EqualTo(ContainerStatus.Paused));
        int frozen = ReadCount(countFile);
        await Task.Delay(400);
        Assert.That(ReadCount(countFile), Is.EqualTo(frozen), "no progress while paused");
        Assert.That(() => Engine.Containers.PauseAsync(container.Id), Throws.TypeOf<ContainerConflictException>());

        await Engine.Containers.UnpauseAsync(container.Id);
        Assert.That(container.State.Status, Is.EqualTo(ContainerStatus.Running));
        await Until(() => ReadCount(countFile) > frozen + 2);
        Assert.That(() => Engine.Containers.UnpauseAsync(container.Id), Throws.TypeOf<ContainerConflictException>().With.Message.Contains("is not paused"));

        await Engine.Containers.PauseAsync(container.Id);
        Assert.That(await Engine.Containers.StopAsync(container.Id, timeoutSeconds: 1), Is.True, "a paused container can be stopped");
        Assert.That(container.State.Status, Is.EqualTo(ContainerStatus.Exited));
    }

    [Test]
    public async Task A_paused_container_can_be_killed_and_removed()
    {
        var container = await Engine.StartAsync(Counter("/tmp/c2"));
        await Engine.Containers.PauseAsync(container.Id);
        var exit = Engine.Containers.WaitAsync(container.Id, WaitCondition.NextExit);
        Engine.Containers.Kill(container.Id);
        Assert.That((await exit.WaitAsync(TimeSpan.FromSeconds(20))).ExitCode, Is.EqualTo(137));

        var other = await Engine.StartAsync(Counter("/tmp/c3"));
        await Engine.Containers.PauseAsync(other.Id);
        await Engine.Containers.RemoveAsync(other.Id, force: true);
        Assert.That(Engine.Engine.Cgroups.ListContainerIds(), Does.Not.Contain(other.Id));
    }

    [Test]
    public async Task Restart_runs_the_command_again_and_rename_keeps_the_container()
    {
        var run = await Engine.RunAsync("sh", "-c", "echo run");
        await Engine.Containers.RestartAsync(run.Container.Id, timeoutSeconds: 1);
        await Engine.Containers.WaitAsync(run.Container.Id, WaitCondition.NotRunning);
        Assert.That(TestEngine.ReadLog(run.Container.LogPath, Berth.Engine.Logs.LogStream.Stdout), Is.EqualTo("run\nrun\n"));

        string oldName = run.Container.Name;
        Engine.Containers.Rename(run.Container.Id, "renamed-one");
        Assert.That(Engine.Containers.Get("renamed-one"), Is.SameAs(run.Container));
        Assert.That(() => Engine.Containers.Get(oldName), Throws.TypeOf<ContainerNotFoundException>(), "the old name is free");
        var other = Engine.Containers.Create("taken-name", new ContainerConfig { Image = "busybox", Cmd = ["true"] }, new HostConfig());
        Assert.That(() => Engine.Containers.Rename(run.Container.Id, "taken-name"), Throws.TypeOf<ContainerConflictException>());
        await Engine.Containers.RemoveAsync(other.Id, force: false);
    }

    [Test]
    public async Task Events_report_the_lifecycle_in_order()
    {
        using var subscription = Engine.Engine.Events.Subscribe();
        var run = await Engine.RunAsync("sh", "-c", "exit 2");
        await Engine.Containers.RemoveAsync(run.Container.Id, force: false);
        var actions = new List<string>();
        while (actions.Count < 4 && await subscription.Reader.WaitToReadAsync(new CancellationTokenSource(5000).Token))
        {
            while (subscription.Reader.TryRead(out var e))
                if (e.ActorId == run.Container.Id)
                {
                    actions.Add(e.Action);
                    if (e.Action == "die")
                        Assert.That(e.Attributes["exitCode"], Is.EqualTo("2"));
                }
        }
        Assert.That(actions, Is.EqualTo(new[] { "create", "start", "die", "destroy" }));
    }

    [Test]
    public async Task With_init_a_shell_form_command_stops_at_sigterm_and_zombies_are_reaped()
    {
        // Without --init, PID 1 (sh) ignores SIGTERM and stop waits for SIGKILL (exit 137).
        var container = await Engine.StartAsync(
            new ContainerConfig { Image = "busybox", Cmd = ["sh", "-c", "(sleep 0.1 &) ; sleep 0.5; ps -o pid,stat,args; echo ready; sleep 1000"] },
            new HostConfig { Init = true });
        for (int i = 0; i < 400 && !TestEngine.ReadLog(container.LogPath, Berth.Engine.Logs.LogStream.Stdout).Contains("ready"); i++)
            await Task.Delay(25);
        string ps = TestEngine.ReadLog(container.LogPath, Berth.Engine.Logs.LogStream.Stdout);
        Assert.That(ps, Does.Contain("/dev/init"), "the reaper is PID 1");
        Assert.That(ps.Split('\n').Where(l => l.Contains(" Z ")), Is.Empty, "the orphaned sleep was reaped, no zombie");

        await Engine.Containers.StopAsync(container.Id, timeoutSeconds: 30);
        Assert.That(container.State.ExitCode, Is.EqualTo(143), "SIGTERM reached sh through the reaper (128+15), no SIGKILL needed");
    }

    private static int ReadCount(string file)
    {
        try
        {
            return int.TryParse(File.ReadAllText(file).Trim(), out int n) ? n : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        for (int i = 0; i < 400 && !condition(); i++)
            await Task.Delay(25);
        Assert.That(condition(), Is.True, "condition never became true");
    }
}
