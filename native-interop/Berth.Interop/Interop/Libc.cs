using System.Runtime.InteropServices;

namespace Berth.Interop;

/// <summary>
/// libc entry points that Tmds.LibC does not bind. Each file of this partial class covers one
/// kernel subsystem; the managed wrappers that throw precise errors live in <see cref="Sys"/>.
/// </summary>
public static unsafe partial class Libc
{
    internal const string Name = "libc";

    // x86-64 syscall numbers for calls glibc 2.36 has no wrapper for.
    public const long SYS_pivot_root = 155;
    public const long SYS_capget = 125;
    public const long SYS_capset = 126;
    public const long SYS_pidfd_send_signal = 424;
    public const long SYS_pidfd_open = 434;
    public const long SYS_openat2 = 437;

    [LibraryImport(Name, EntryPoint = "syscall", SetLastError = true)]
    public static partial long syscall(long number, long a1, long a2, long a3, long a4, long a5);
}
