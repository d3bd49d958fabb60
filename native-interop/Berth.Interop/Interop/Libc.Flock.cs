using System.Runtime.InteropServices;

namespace Berth.Interop;

public static unsafe partial class Libc
{
    public const int LOCK_SH = 1;
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;
    public const int LOCK_UN = 8;

    [LibraryImport(Name, EntryPoint = "flock", SetLastError = true)]
    public static partial int flock(int fd, int operation);
}
