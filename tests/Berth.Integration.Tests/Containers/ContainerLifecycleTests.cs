using System.Text.Json;
using Berth.Engine.Containers;
using Berth.Engine.Processes;
using Berth.Engine.Rootfs;
using Berth.Integration.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Integration.Tests.Containers;

/// <summary>Create, start, stop, kill, remove; errors before exec; state and logs on disk; leaks.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ContainerLifecycleTests : EngineFixture
{

    private static ContainerConfig Busybox(params string[] cmd) => new() { Image = "busybox", Cmd = [.. cmd] };

    [Test]
    public void A_missing_command_is_127_with_dockers_message()
    {
        var container = Engine.Containers.Create(null, Busybox("no-such-command"), new HostConfig());
        var error = Assert.ThrowsAsync<ContainerStartException>(() => Engine.Containers.StartAsync(container.Id));
        Assert.That(error!.ExitCode, Is.EqualTo(127));
        Assert.That(error.Message, Is.EqualTo("exec: \"no-such-command\": executable file not found in $PATH"));
        Assert.That(container.State.ExitCode, Is.EqualTo(127));
        Assert.That(container.State.Error, Does.Contain("executable file not found"));
    }

    [Test]
    public void A_file_that_is_not_executable_is_126()
    {
        var container = Engine.Containers.Create(null, Busybox("/etc/passwd"), new HostConfig());
        var error = Assert.ThrowsAsync<ContainerStartException>(() => Engine.Containers.StartAsync(container.Id));
        Assert.That(error!.ExitCode, Is.EqualTo(126));
        Assert.That(error.Message, Does.Contain("permission denied"));
    }

    [Test]
    public async Task Ids_are_64_hex_names_are_unique_and_resolve_by_prefix()
    {
        var a = Engine.Containers.Create("lifecycle-named", Busybox("true"), new HostConfig());
        Assert.That(a.Id, Does.Match("^[0-9a-f]{64}$"));
        Assert.That(() => Engine.Containers.Create("lifecycle-named", Busybox("true"), new HostConfig()),
            Throws.TypeOf<ContainerConflictException>().With.Message.Contains("is already in use"));
        Assert.That(Engine.Containers.Get("lifecycle-named"), Is.SameAs(a));
        Assert.That(Engine.Containers.Get("/lifecycle-named"), Is.SameAs(a));
        Assert.That(Engine.Containers.Get(a.Id[..10]), Is.SameAs(a));
        Assert.That(() => Engine.Containers.Get("nope-nope"), Throws.TypeOf<ContainerNotFoundException>());
        await Engine.Containers.RemoveAsync(a.Id, force: false);
        Assert.That(() => Engine.Containers.Get(a.Id), Throws.TypeOf<ContainerNotFoundException>());
    }

    [Test]
    public async Task Stop_ends_a_process_that_ignores_sigterm_with_sigkill_after_the_timeout()
    {
        var container = await Engine.StartAsync(Busybox("sh", "-c", "trap '' TERM; echo ready; while true; do sleep 1; done"));
        await WaitForLog(container, "ready");
        Assert.That(await Engine.Containers.StopAsync(container.Id, timeoutSeconds: 1), Is.True);
        Assert.That(container.State.Status, Is.EqualTo(ContainerStatus.Exited));
        Assert.That(container.State.ExitCode, Is.EqualTo(137), "ended by SIGKILL");
        Assert.That(await Engine.Containers.StopAsync(container.Id), Is.False, "already stopped (304)");
    }

    [Test]
    public async Task Stop_sends_the_stop_signal_first()
    {
        var container = await Engine.StartAsync(new ContainerConfig
        {
            Image = "busybox",
            Cmd = ["sh", "-c", "trap 'echo got-usr1; exit 0' USR1; echo ready; while true; do sleep 1; done"],
            StopSignal = "SIGUSR1",
        });
        await WaitForLog(container, "ready");
        await Engine.Containers.StopAsync(container.Id, timeoutSeconds: 30);
        Assert.That(container.State.ExitCode, Is.EqualTo(0));
        Assert.That(TestEngine.ReadLog(container.LogPath, Berth.Engine.Logs.LogStream.Stdout), Does.Contain("got-usr1"));
    }

    [Test]
    public async Task Kill_delivers_any_signal_and_the_exit_code_is_128_plus_signal()
    {
        var container = await Engine.StartAsync(Busybox("sh", "-c", "trap 'exit 42' HUP; echo ready; while true; do sleep 1; done"));
        await WaitForLog(container, "ready");
        var exit = Engine.Containers.WaitAsync(container.Id, WaitCondition.NotRunning);
        Engine.Containers.Kill(container.Id, "HUP");
        Assert.That((await exit).ExitCode, Is.EqualTo(42));

        var second = await Engine.StartAsync(Busybox("sleep", "100"));
        var killed = Engine.Containers.WaitAsync(second.Id, WaitCondition.NextExit);
        Engine.Containers.Kill(second.Id);
        Assert.That((await killed).ExitCode, Is.EqualTo(137));
        Assert.That(() => Engine.Containers.Kill(second.Id), Throws.TypeOf<ContainerConflictException>().With.Message.Contains("is not running"));
    }

    [Test]
    public async Task Removing_a_running_container_needs_force_and_leaves_nothing_behind()
    {
        var container = await Engine.StartAsync(Busybox("sleep", "100"));
        int pid = container.State.Pid;
        string merged = container.Rootfs.MergedDirectory;
        Assert.That(MountTable.IsMountPoint(merged), Is.True);
        Assert.That(Engine.Engine.Cgroups.ListContainerIds(), Does.Contain(container.Id));

        Assert.That(() => Engine.Containers.RemoveAsync(container.Id, force: false),
            Throws.TypeOf<ContainerConflictException>().With.Message.Contains("cannot remove a running container"));
        await Engine.Containers.RemoveAsync(container.Id, force: true);

        Assert.That(Directory.Exists($"/proc/{pid}"), Is.False, "process gone");
        Assert.That(MountTable.IsMountPoint(merged), Is.False, "rootfs unmounted");
        Assert.That(Directory.Exists(container.Directory), Is.False, "directory deleted");
        Assert.That(Engine.Engine.Cgroups.ListContainerIds(), Does.Not.Contain(container.Id), "cgroup removed");
    }

    [Test]
    public async Task Auto_remove_deletes_the_container_after_exit_and_wait_removed_gets_the_code()
    {
        var container = Engine.Containers.Create(null, Busybox("sh", "-c", "exit 7"), new HostConfig { AutoRemove = true });
        var removed = Engine.Containers.WaitAsync(container.Id, WaitCondition.Removed);
        await Engine.Containers.StartAsync(container.Id);
        Assert.That((await removed.WaitAsync(TimeSpan.FromSeconds(30))).ExitCode, Is.EqualTo(7));
        Assert.That(() => Engine.Containers.Get(container.Id), Throws.TypeOf<ContainerNotFoundException>());
        Assert.That(Directory.Exists(container.Directory), Is.False);
    }

    [Test]
    public async Task State_is_persisted_atomically_and_a_restartedEngine_sees_it()
    {
        var run = await Engine.RunAsync("sh", "-c", "exit 5");
        string statePath = Path.Combine(run.Container.Directory, "state.json");
        using var state = JsonDocument.Parse(File.ReadAllBytes(statePath));
        Assert.That(state.RootElement.GetProperty("Status").GetString(), Is.EqualTo("Exited"));
        Assert.That(state.RootElement.GetProperty("ExitCode").GetInt32(), Is.EqualTo(5));
        Assert.That(state.RootElement.GetProperty("FinishedAt").GetDateTime(), Is.GreaterThan(state.RootElement.GetProperty("StartedAt").GetDateTime()).Or.EqualTo(state.RootElement.GetProperty("StartedAt").GetDateTime()));
        Assert.That(Directory.GetFiles(run.Container.Directory, ".tmp-*"), Is.Empty, "no temp files left by atomic writes");

        var reloaded = new ContainerStore(Path.GetDirectoryName(run.Container.Directory)!, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)
            .LoadAll().Single(c => c.Record.Id == run.Container.Id);
        Assert.That(reloaded.State.ExitCode, Is.EqualTo(5));
        Assert.That(reloaded.Record.Config.Cmd, Is.EqualTo(new[] { "sh", "-c", "exit 5" }));
    }

    [Test]
    public async Task The_log_is_dockers_json_file_format()
    {
        var run = await Engine.RunAsync("sh", "-c", "echo one; echo two >&2; printf partial");
        var lines = File.ReadAllLines(run.Container.LogPath);
        Assert.That(lines, Has.Length.EqualTo(3));
        var entries = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.That(entries.Select(e => e.GetProperty("log").GetString()), Is.EquivalentTo(new[] { "one\n", "two\n", "partial" }));
        Assert.That(entries.Single(e => e.GetProperty("log").GetString() == "two\n").GetProperty("stream").GetString(), Is.EqualTo("stderr"));
        foreach (var entry in entries)
            Assert.That(entry.GetProperty("time").GetString(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$"));
    }

    [Test]
    public async Task A_container_can_be_started_again_after_it_exited()
    {
        var run = await Engine.RunAsync("sh", "-c", "echo run");
        var again = Engine.Containers.WaitAsync(run.Container.Id, WaitCondition.NextExit);
        Assert.That(await Engine.Containers.StartAsync(run.Container.Id), Is.True);
        Assert.That((await again).ExitCode, Is.EqualTo(0));
        Assert.That(TestEngine.ReadLog(run.Container.LogPath, Berth.Engine.Logs.LogStream.Stdout), Is.EqualTo("run\nrun\n"));
    }

    [Test]
    public async Task Several_containers_run_at_once()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Engine.RunAsync("sh", "-c", $"echo {i}; exit {i}")));
        for (int i = 0; i < runs.Length; i++)
        {
            Assert.That(runs[i].ExitCode, Is.EqualTo(i));
            Assert.That(runs[i].Stdout, Is.EqualTo($"{i}\n"));
        }
    }

    private static async Task WaitForLog(Container container, string text)
    {
        for (int i = 0; i < 500; i++)
        {
            if (TestEngine.ReadLog(container.LogPath, Berth.Engine.Logs.LogStream.Stdout).Contains(text))
                return;
            await Task.Delay(20);
        }
        Assert.Fail($"`{text}` never appeared in the log of {container.Id}");
    }
}
