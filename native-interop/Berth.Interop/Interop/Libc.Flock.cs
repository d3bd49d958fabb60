using System.Runtime.InteropServices;

namespace Berth.Interop;

public static unsafe partial class Libc
{
    public const int F_OFD_SETLK = 37;
    public const short F_WRLCK = 1;

    /// <summary>struct flock of x86-64 and arm64 Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct flock_t
    {
        public short l_type;
        public short l_whence;
        public long l_start;
        public long l_len;
        public int l_pid;
    }

    [LibraryImport(Name, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int fcntl_lock(int fd, int cmd, flock_t* lock_);
}
