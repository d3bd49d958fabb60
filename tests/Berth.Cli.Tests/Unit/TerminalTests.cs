using Berth.Cli.Streams;
using Berth.Interop;
using NUnit.Framework;

namespace Berth.Cli.Tests.Unit;

/// <summary>Raw mode on a real pseudo-terminal pair, and its restore.</summary>
public sealed class TerminalTests
{
    [Test]
    public void RawModeIsCfmakerawAndIsRestoredExactlyOnce()
    {
        var (master, slave, _) = Sys.OpenPty();
        using (master)
        using (slave)
        {
            int fd = (int)slave.DangerousGetHandle();
            var before = Sys.GetTerminalSettings(fd);
            Assert.That(before.IsRaw, Is.False, "a new pty is cooked");
            var terminal = RawTerminal.Enter(fd)!;
            Assert.That(terminal, Is.Not.Null);
            var raw = Sys.GetTerminalSettings(fd);
            Assert.That(raw.IsRaw, Is.True);
            Assert.That(raw, Is.EqualTo(before.MakeRaw()));
            terminal.Restore();
            Assert.That(Sys.GetTerminalSettings(fd), Is.EqualTo(before));
            Sys.SetTerminalSettings(fd, raw);
            terminal.Dispose();
            Assert.That(Sys.GetTerminalSettings(fd), Is.EqualTo(raw), "a second restore does nothing");
            Sys.SetTerminalSettings(fd, before);
        }
    }

    [Test]
    public void ADescriptorThatIsNotATerminalStaysAsItIs()
    {
        using var file = File.OpenHandle(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        Assert.That(RawTerminal.Enter((int)file.DangerousGetHandle()), Is.Null);
    }

    [Test]
    public void TheWindowSizeIsReadFromTheTerminal()
    {
        var (master, slave, _) = Sys.OpenPty();
        using (master)
        using (slave)
        {
            Sys.SetWindowSize(master, 30, 100);
            Assert.That(Sys.TryGetWindowSize((int)slave.DangerousGetHandle(), out ushort rows, out ushort columns), Is.True);
            Assert.That((rows, columns), Is.EqualTo(((ushort)30, (ushort)100)));
            Assert.That(Sys.GetWindowSize(master), Is.EqualTo(((ushort)30, (ushort)100)));
        }
    }
}
