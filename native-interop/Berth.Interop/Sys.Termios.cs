using Microsoft.Win32.SafeHandles;
using static Tmds.Linux.LibC;

namespace Berth.Interop;

/// <summary>The local terminal of a client: whether a descriptor is one, its size, and its termios settings (raw mode and back).</summary>
public static unsafe partial class Sys
{
    /// <summary>isatty(3).</summary>
    public static bool IsTerminal(int fd) => isatty(fd) == 1;

    /// <summary>The rows and columns of the terminal on <paramref name="fd"/> (TIOCGWINSZ); false when it is not a terminal.</summary>
    public static bool TryGetWindowSize(int fd, out ushort rows, out ushort columns)
    {
        var size = default(Tmds.Linux.winsize);
        if (ioctl(fd, Libc.TIOCGWINSZ, &size) == -1)
        {
            rows = columns = 0;
            return false;
        }
        rows = size.ws_row;
        columns = size.ws_col;
        return true;
    }

    /// <summary>The window size of a terminal handle (a pty master or slave).</summary>
    public static (ushort Rows, ushort Columns) GetWindowSize(SafeFileHandle terminal)
    {
        int fd = (int)terminal.DangerousGetHandle();
        if (!TryGetWindowSize(fd, out ushort rows, out ushort columns))
            throw SyscallException.FromLastError($"ioctl TIOCGWINSZ fd {fd}");
        return (rows, columns);
    }

    /// <summary>tcgetattr(3).</summary>
    public static TerminalSettings GetTerminalSettings(int fd)
    {
        Libc.termios_t value;
        if (Libc.tcgetattr(fd, &value) == -1)
            throw SyscallException.FromLastError($"tcgetattr fd {fd}");
        return new TerminalSettings(value);
    }

    /// <summary>tcsetattr(3) with TCSANOW, retried on EINTR.</summary>
    public static void SetTerminalSettings(int fd, TerminalSettings settings)
    {
        var value = settings.Value;
        int result;
        do
            result = Libc.tcsetattr(fd, Libc.TCSANOW, &value);
        while (result == -1 && LastErrno == Errno.EINTR);
        Check(result, $"tcsetattr fd {fd}");
    }
}
