using System.Text;
using Berth.Engine.Containers;
using Berth.Integration.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Integration.Tests.Containers;

/// <summary>Tty containers and attached stdin at the engine level (the API adds only framing).</summary>
[TestFixture]
[NonParallelizable]
public sealed class ContainerTerminalTests : EngineFixture
{

    private static ContainerConfig Interactive(bool tty, params string[] cmd) =>
        new() { Image = "busybox", Cmd = [.. cmd], Tty = tty, OpenStdin = true, StdinOnce = true, AttachStdin = true };

    [Test]
    public async Task A_shell_on_a_terminal_runs_typed_commands_and_exits_with_their_code()
    {
        var container = Engine.Containers.Create(null, Interactive(true, "sh"), new HostConfig { ConsoleSize = [40, 120] });
        var sink = new CollectingSink();
        await using var attachment = Engine.Containers.Attach(container.Id, sink, stdin: true);
        var exit = Engine.Containers.WaitAsync(container.Id, WaitCondition.NextExit);
        await Engine.Containers.StartAsync(container.Id);

        await attachment.WriteStdinAsync(Encoding.ASCII.GetBytes("tty; stty size; echo $((6*7))\r"));
        await sink.WaitForAsync("42");
        Assert.That(sink.Stdout, Does.Contain("/dev/pts/0"));
        Assert.That(sink.Stdout, Does.Contain("40 120"));

        Engine.Containers.Resize(container.Id, 50, 160);
        await attachment.WriteStdinAsync(Encoding.ASCII.GetBytes("stty size\r"));
        await sink.WaitForAsync("50 160");

        await attachment.WriteStdinAsync(Encoding.ASCII.GetBytes("exit 3\r"));
        Assert.That((await exit.WaitAsync(TimeSpan.FromSeconds(20))).ExitCode, Is.EqualTo(3));
        await sink.Completed.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.That(TestEngine.ReadLog(container.LogPath, Berth.Engine.Logs.LogStream.Stdout), Does.Contain("42"), "the log keeps what the terminal printed");
    }

    [Test]
    public async Task The_terminal_is_the_controlling_tty_and_the_console()
    {
        var run = await Engine.RunAsync(new ContainerConfig { Image = "busybox", Tty = true, Cmd = ["sh", "-c", "ls -l /dev/console | cut -c1; cat /proc/self/stat | cut -d' ' -f7; echo TERM=$TERM"] });
        string output = run.Stdout.Replace("\r", "");
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("c"), "/dev/console is the pty");
        Assert.That(lines[1], Is.Not.EqualTo("0"), "a controlling terminal (tty_nr) is set");
        Assert.That(lines[2], Is.EqualTo("TERM=xterm"));
    }

    [Test]
    public async Task Stdin_and_its_end_sent_before_the_start_reach_the_process()
    {
        var container = Engine.Containers.Create(null, Interactive(false, "sh", "-c", "cat; echo done"), new HostConfig());
        var sink = new CollectingSink();
        await using var attachment = Engine.Containers.Attach(container.Id, sink, stdin: true);
        await attachment.WriteStdinAsync("a\nb\n"u8.ToArray());
        attachment.CloseStdin();
        var exit = Engine.Containers.WaitAsync(container.Id, WaitCondition.NextExit);
        await Engine.Containers.StartAsync(container.Id);
        Assert.That((await exit.WaitAsync(TimeSpan.FromSeconds(20))).ExitCode, Is.EqualTo(0));
        await sink.Completed.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.That(sink.Stdout, Is.EqualTo("a\nb\ndone\n"));
    }

    [Test]
    public async Task Two_attached_clients_get_the_same_output_and_detaching_does_not_stop_the_container()
    {
        var container = await Engine.StartAsync(new ContainerConfig { Image = "busybox", Cmd = ["sh", "-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done"] });
        var first = new CollectingSink();
        var second = new CollectingSink();
        var a = Engine.Containers.Attach(container.Id, first, stdin: false);
        var b = Engine.Containers.Attach(container.Id, second, stdin: false);
        await first.WaitForAsync("tick");
        await second.WaitForAsync("tick");
        await a.DisposeAsync();
        await b.DisposeAsync();
        await Task.Delay(300);
        Assert.That(container.State.Running, Is.True, "detaching never stops the container");
        await Engine.Containers.StopAsync(container.Id, timeoutSeconds: 1);
    }
}
