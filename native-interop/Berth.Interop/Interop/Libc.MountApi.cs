namespace Berth.Interop;

public static unsafe partial class Libc
{
    // The new mount API (Linux 5.2): a detached copy of a mount tree that can be attached anywhere later,
    // even after pivot_root has made its source path unreachable.
    public const long SYS_open_tree = 428;
    public const long SYS_move_mount = 429;
    public const long SYS_fsopen = 430;
    public const long SYS_fsconfig = 431;
    public const long SYS_fsmount = 432;

    public const uint OPEN_TREE_CLONE = 1;
    public const uint OPEN_TREE_CLOEXEC = 0x80000;
    public const uint AT_RECURSIVE = 0x8000;
    public const uint MOVE_MOUNT_F_EMPTY_PATH = 0x4;

    // fsopen/fsconfig/fsmount (Linux 5.2): a filesystem context configured one parameter at a time, so a
    // mount's options are no longer squeezed into mount(2)'s one page of data.
    public const uint FSOPEN_CLOEXEC = 1;
    public const uint FSMOUNT_CLOEXEC = 1;
    public const uint FSCONFIG_SET_FLAG = 0;
    public const uint FSCONFIG_SET_STRING = 1;
    public const uint FSCONFIG_CMD_CREATE = 6;

    public static int open_tree(int dirfd, byte* path, uint flags) => (int)syscall(SYS_open_tree, dirfd, (long)path, flags, 0, 0);

    public static int move_mount(int fromDirfd, byte* fromPath, int toDirfd, byte* toPath, uint flags) =>
        (int)syscall(SYS_move_mount, fromDirfd, (long)fromPath, toDirfd, (long)toPath, flags);

    public static int fsopen(byte* fsName, uint flags) => (int)syscall(SYS_fsopen, (long)fsName, flags, 0, 0, 0);

    public static int fsconfig(int fd, uint command, byte* key, byte* value, int aux) =>
        (int)syscall(SYS_fsconfig, fd, command, (long)key, (long)value, aux);

    public static int fsmount(int fd, uint flags, uint attrFlags) => (int)syscall(SYS_fsmount, fd, flags, attrFlags, 0, 0);
}
