using System.Runtime.InteropServices;

namespace Berth.Interop;

public static unsafe partial class Libc
{
    public const uint RENAME_NOREPLACE = 1;

    [LibraryImport(Name, EntryPoint = "rename", SetLastError = true)]
    public static partial int rename(byte* oldPath, byte* newPath);

    /// <summary>renameat2(2); glibc 2.28 and later wrap it.</summary>
    [LibraryImport(Name, EntryPoint = "renameat2", SetLastError = true)]
    public static partial int renameat2(int oldDirFd, byte* oldPath, int newDirFd, byte* newPath, uint flags);
}
