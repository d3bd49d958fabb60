using System.Text;
using Berth.Engine.Containers;
using Berth.Integration.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Integration.Tests.Containers;

/// <summary>`docker exec` at the engine level: namespaces, cgroup, user, environment, exit codes, terminals.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ContainerExecTests : EngineFixture
{
    private Container _container = null!;

    [OneTimeSetUp]
    public async Task StartSleeper()
    {
        _container = await Engine.StartAsync(
            new ContainerConfig { Image = "busybox", Cmd = ["sleep", "1000"], Env = ["FROM_CONTAINER=1"], WorkingDir = "/tmp", Hostname = "exec-host" },
            new HostConfig { Memory = 64 * 1024 * 1024 });
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> ExecAsync(ExecConfig config, string? input = null)
    {
        config.AttachStdout = config.AttachStderr = true;
        config.AttachStdin = input is not null;
        var session = Engine.Engine.Execs.Create(_container.Id, config);
        var sink = new CollectingSink();
        try
        {
            Engine.Engine.Execs.Start(session.Id, sink);
        }
        catch (Berth.Engine.Processes.ContainerStartException e)
        {
            return (e.ExitCode, "", e.Message);
        }
        if (input is not null)
        {
            await session.WriteStdinAsync(Encoding.UTF8.GetBytes(input));
            session.CloseStdin();
        }
        await sink.Completed.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.That(session.ExitCode, Is.Not.Null, "the exit code is recorded before the stream completes");
        return (session.ExitCode!.Value, sink.Stdout, sink.Stderr);
    }

    [Test]
    public async Task An_exec_joins_every_namespace_and_the_cgroup_of_the_container()
    {
        var (code, stdout, _) = await ExecAsync(new ExecConfig
        {
            Cmd = ["sh", "-c", "hostname; cat /proc/1/cmdline | tr '\\0' ' '; echo; ls /sys/class/net | tr '\\n' ' '; echo; cat /proc/self/cgroup | cut -d: -f3 | sort -u; pwd; echo $FROM_CONTAINER"],
        });
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(lines[0], Is.EqualTo("exec-host"), "uts namespace");
        Assert.That(lines[1].Trim(), Is.EqualTo("sleep 1000"), "pid namespace: PID 1 is the container's command");
        Assert.That(lines[2].Trim(), Is.EqualTo("lo"), "network namespace");
        Assert.That(lines[3], Is.EqualTo("/"), "cgroup namespace rooted at the container's cgroup");
        Assert.That(lines[4], Is.EqualTo("/tmp"), "the container's working dir");
        Assert.That(lines[5], Is.EqualTo("1"), "the container's environment");
        var procs = Engine.Engine.Cgroups.Open(_container.Id)!.Pids();
        Assert.That(procs, Has.Count.EqualTo(1), "the exec's process left the cgroup when it exited");
    }

    [Test]
    public async Task Exit_codes_follow_docker()
    {
        Assert.That((await ExecAsync(new ExecConfig { Cmd = ["sh", "-c", "exit 5"] })).ExitCode, Is.EqualTo(5));
        var missing = await ExecAsync(new ExecConfig { Cmd = ["no-such-command"] });
        Assert.That(missing.ExitCode, Is.EqualTo(127));
        Assert.That(missing.Stderr, Does.Contain("executable file not found in $PATH"));
        Assert.That((await ExecAsync(new ExecConfig { Cmd = ["/etc/passwd"] })).ExitCode, Is.EqualTo(126));
    }

    [Test]
    public async Task User_env_workdir_and_stdin_of_an_exec()
    {
        var (code, stdout, _) = await ExecAsync(new ExecConfig { Cmd = ["sh", "-c", "id -u; echo $EXTRA; pwd; cat"], User = "user", Env = ["EXTRA=x"], WorkingDir = "/home/user" }, input: "from stdin\n");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Is.EqualTo("1000\nx\n/home/user\nfrom stdin\n"));
    }

    [Test]
    public async Task An_exec_gets_the_containers_capabilities_and_seccomp_filter()
    {
        var (_, stdout, _) = await ExecAsync(new ExecConfig { Cmd = ["grep", "-E", "CapEff|Seccomp:", "/proc/self/status"] });
        Assert.That(stdout, Does.Contain("00000000a80425fb"));
        Assert.That(stdout, Does.Contain("Seccomp:\t2"));
    }

    [Test]
    public async Task An_exec_on_a_terminal()
    {
        var session = Engine.Engine.Execs.Create(_container.Id, new ExecConfig { Cmd = ["sh"], Tty = true, AttachStdin = true, AttachStdout = true, ConsoleSize = [30, 100] });
        var sink = new CollectingSink();
        Engine.Engine.Execs.Start(session.Id, sink);
        await session.WriteStdinAsync(Encoding.ASCII.GetBytes("tty; stty size; echo $((6*7))\r"));
        await sink.WaitForAsync("42");
        Assert.That(sink.Stdout, Does.Match(@"/dev/pts/\d+"));
        Assert.That(sink.Stdout, Does.Contain("30 100"));
        session.Resize(31, 101);
        await session.WriteStdinAsync(Encoding.ASCII.GetBytes("stty size; exit 4\r"));
        await sink.Completed.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.That(sink.Stdout, Does.Contain("31 101"));
        Assert.That(session.ExitCode, Is.EqualTo(4));
    }

    [Test]
    public async Task Exec_needs_a_running_container_and_runs_once()
    {
        var stopped = await Engine.RunAsync("true");
        Assert.That(() => Engine.Engine.Execs.Create(stopped.Container.Id, new ExecConfig { Cmd = ["true"] }),
            Throws.TypeOf<ContainerConflictException>().With.Message.Contains("is not running"));
        var session = Engine.Engine.Execs.Create(_container.Id, new ExecConfig { Cmd = ["true"] });
        Engine.Engine.Execs.Start(session.Id, null);
        await session.Exited.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.That(() => Engine.Engine.Execs.Start(session.Id, null), Throws.TypeOf<ContainerConflictException>());
        Assert.That(() => Engine.Engine.Execs.Get("nope"), Throws.TypeOf<ExecNotFoundException>());
    }

    [Test]
    public async Task Exec_processes_die_with_the_container()
    {
        var container = await Engine.StartAsync(new ContainerConfig { Image = "busybox", Cmd = ["sleep", "1000"] });
        var session = Engine.Engine.Execs.Create(container.Id, new ExecConfig { Cmd = ["sleep", "1000"] });
        Engine.Engine.Execs.Start(session.Id, null);
        Assert.That(session.Running, Is.True);
        int pid = session.Pid;
        await Engine.Containers.StopAsync(container.Id, timeoutSeconds: 0);
        await session.Exited.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.That(session.ExitCode, Is.EqualTo(137));
        Assert.That(Directory.Exists($"/proc/{pid}"), Is.False);
    }
}
