using System.Runtime.InteropServices;

namespace Berth.Interop;

public static unsafe partial class Libc
{
    public const int TCSANOW = 0;
    public const int TIOCGWINSZ = 0x5413;

    /// <summary>glibc's struct termios on x86-64 and arm64 Linux (60 bytes): the four flag words, the line discipline, 32 control characters and the two speeds.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct termios_t
    {
        public uint c_iflag;
        public uint c_oflag;
        public uint c_cflag;
        public uint c_lflag;
        public byte c_line;
        public fixed byte c_cc[32];
        public uint c_ispeed;
        public uint c_ospeed;
    }

    [LibraryImport(Name, SetLastError = true)]
    public static partial int tcgetattr(int fd, termios_t* termios);

    [LibraryImport(Name, SetLastError = true)]
    public static partial int tcsetattr(int fd, int optionalActions, termios_t* termios);

    /// <summary>Raw mode as glibc defines it: no echo, no canonical input, no signals from keys, no output processing, 8 bits, VMIN 1, VTIME 0.</summary>
    [LibraryImport(Name)]
    public static partial void cfmakeraw(termios_t* termios);
}
