using System.Runtime.InteropServices;

namespace Berth.Interop;

public static unsafe partial class Libc
{
    // x86-64 numbers of calls glibc 2.36 has no wrapper for.
    public const long SYS_getdents64 = 217;

    /// <summary>statx attribute: the file is the root of a mount.</summary>
    public const ulong STATX_ATTR_MOUNT_ROOT = 0x2000;

    /// <summary>struct statfs on x86-64 is 15 machine words: f_type is word 0, f_flags word 10.</summary>
    public const int StatFsWords = 15;

    [LibraryImport(Name, EntryPoint = "fstatfs", SetLastError = true)]
    public static partial int fstatfs(int fd, long* buffer);

    [LibraryImport(Name, EntryPoint = "fgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint fgetxattr(int fd, string name, byte* value, nuint size);
}
