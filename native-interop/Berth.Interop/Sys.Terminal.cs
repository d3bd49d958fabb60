using Microsoft.Win32.SafeHandles;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Berth.Interop;

public static unsafe partial class Sys
{
    private const int TIOCSPTLCK = 0x40045431;
    private const int TIOCGPTN = unchecked((int)0x80045430);
    private const int TIOCGPTPEER = 0x5441;
    private const int TIOCSWINSZ_ = 0x5414;
    private const int TIOCSCTTY_ = 0x540E;

    /// <summary>
    /// Opens a new pseudo-terminal on the devpts instance behind <paramref name="ptmxPath"/>: the master, the slave
    /// (through TIOCGPTPEER, so no path is looked up) and the slave's number (its name is pts/N on that instance).
    /// </summary>
    public static (SafeFileHandle Master, SafeFileHandle Slave, int Number) OpenPty(string ptmxPath = "/dev/ptmx")
    {
        int master;
        fixed (byte* p = Utf8z(ptmxPath))
            master = open(p, O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
        Check(master, $"open `{ptmxPath}`");
        var masterHandle = new SafeFileHandle(master, ownsHandle: true);
        int unlock = 0;
        Check(ioctl(master, TIOCSPTLCK, &unlock), "ioctl TIOCSPTLCK");
        int number;
        Check(ioctl(master, TIOCGPTN, &number), "ioctl TIOCGPTN");
        int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
        Check(slave, "ioctl TIOCGPTPEER");
        return (masterHandle, new SafeFileHandle(slave, ownsHandle: true), number);
    }

    public static void SetWindowSize(SafeFileHandle terminal, ushort rows, ushort columns)
    {
        var size = new winsize { ws_row = rows, ws_col = columns };
        Check(ioctl((int)terminal.DangerousGetHandle(), TIOCSWINSZ_, &size), "ioctl TIOCSWINSZ");
    }

    /// <summary>Makes <paramref name="fd"/> the controlling terminal of the calling process, which must lead a new session.</summary>
    public static void SetControllingTerminal(int fd) => Check(ioctl(fd, TIOCSCTTY_, 0), "ioctl TIOCSCTTY");
}
