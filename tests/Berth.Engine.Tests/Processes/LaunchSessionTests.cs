using System.Diagnostics;
using Berth.Engine.Processes;
using Berth.InitSpec;
using Berth.Interop;
using Microsoft.Win32.SafeHandles;
using NUnit.Framework;

namespace Berth.Engine.Tests.Processes;

/// <summary>
/// berthd's side of the handshake against a scripted peer: the test plays berth-init on the other end of the
/// socket, and a real `sleep` stands in for the child so that kill and reap are real.
/// </summary>
public sealed class LaunchSessionTests
{
    private SafeFileHandle _peer = null!;
    private LaunchSession _session = null!;

    [SetUp]
    public void StartChild()
    {
        var (socket, peer) = Sys.SeqPacketPair();
        _peer = peer;
        int pid = Sys.Spawn("/bin/sleep", ["sleep", "60"], [], [0, 1, 2]);
        _session = new LaunchSession(socket, pid, Sys.PidfdOpen(pid), launcherPid: 0, TimeSpan.FromMilliseconds(300), "berth-init", Stopwatch.GetTimestamp());
    }

    [TearDown]
    public void Cleanup()
    {
        _session.Dispose();
        _peer.Dispose();
    }

    [Test]
    public void Ready_continue_console_and_end_of_stream_give_the_running_process_and_its_terminal()
    {
        Send(new SyncMessage(SyncMessageType.Ready));
        _session.WaitReady();
        _session.Continue();
        Assert.That(Receive(), Is.EqualTo(new SyncMessage(SyncMessageType.Continue)));
        var (read, write) = Sys.Pipe();
        using (read)
        using (write)
            Send(new SyncMessage(SyncMessageType.Console), (int)write.DangerousGetHandle());
        _peer.Dispose(); // the exec closes init's end
        using var console = _session.WaitExec();
        Assert.That(console, Is.Not.Null);
        Assert.That(_session.Process.Pid, Is.EqualTo(_session.Pid));
        Assert.That(Sys.PidfdSendSignal(_session.PidFd, 0), Is.True, "a session that reached exec leaves the process running");
        Sys.PidfdSendSignal(_session.PidFd, 9);
        Sys.WaitPid(_session.Pid);
    }

    [Test]
    public void An_error_fails_the_start_with_its_exit_code_and_kills_the_child()
    {
        Send(SyncMessage.Error(ChildContract.ExitNotFound, "exec: \"nope\": executable file not found in $PATH"));
        var error = Assert.Throws<ContainerStartException>(() => _session.WaitReady())!;
        Assert.That(error.ExitCode, Is.EqualTo(127));
        Assert.That(error.Message, Is.EqualTo("exec: \"nope\": executable file not found in $PATH"));
        Assert.That(_session.PidFd.IsClosed, Is.True, "killed and reaped");
    }

    [Test]
    public void A_silent_child_is_killed_after_the_timeout()
    {
        var error = Assert.Throws<ContainerStartException>(() => _session.WaitReady())!;
        Assert.That(error.Message, Does.Contain("did not report Ready within"));
        Assert.That(error.ExitCode, Is.EqualTo(ChildContract.ExitSetupFailed));
        Assert.That(_session.PidFd.IsClosed, Is.True, "killed and reaped");
    }

    [Test]
    public void A_child_that_exits_without_a_word_or_out_of_order_fails_the_start()
    {
        Send(new SyncMessage(SyncMessageType.Continue));
        Assert.That(() => _session.WaitReady(), Throws.InstanceOf<ContainerStartException>().With.Message.Contains("sent Continue where Ready was expected"));
    }

    private void Send(SyncMessage message, int fd = -1)
    {
        var buffer = new byte[SyncMessage.MaxSize];
        int length = message.Encode(buffer);
        Sys.SendMessage((int)_peer.DangerousGetHandle(), buffer.AsSpan(0, length), fd);
    }

    private SyncMessage Receive()
    {
        var buffer = new byte[SyncMessage.MaxSize];
        int length = Sys.ReceiveMessage(_peer, buffer, 1000, out var fd);
        fd?.Dispose();
        return SyncMessage.Decode(buffer.AsSpan(0, length));
    }
}
