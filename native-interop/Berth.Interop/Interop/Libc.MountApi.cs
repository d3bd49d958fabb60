namespace Berth.Interop;

public static unsafe partial class Libc
{
    // The new mount API (Linux 5.2): a detached copy of a mount tree that can be attached anywhere later,
    // even after pivot_root has made its source path unreachable.
    public const long SYS_open_tree = 428;
    public const long SYS_move_mount = 429;

    public const uint OPEN_TREE_CLONE = 1;
    public const uint OPEN_TREE_CLOEXEC = 0x80000;
    public const uint AT_RECURSIVE = 0x8000;
    public const uint MOVE_MOUNT_F_EMPTY_PATH = 0x4;

    public static int open_tree(int dirfd, byte* path, uint flags) => (int)syscall(SYS_open_tree, dirfd, (long)path, flags, 0, 0);

    public static int move_mount(int fromDirfd, byte* fromPath, int toDirfd, byte* toPath, uint flags) =>
        (int)syscall(SYS_move_mount, fromDirfd, (long)fromPath, toDirfd, (long)toPath, flags);
}
