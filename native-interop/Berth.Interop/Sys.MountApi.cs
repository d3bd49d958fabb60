using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Berth.Interop;

public static unsafe partial class Sys
{
    /// <summary>A filesystem context for <paramref name="fsType"/> (fsopen), configured with <see cref="FsConfigString"/>.</summary>
    public static SafeFileHandle FsOpen(string fsType)
    {
        int fd;
        fixed (byte* t = Utf8z(fsType))
            fd = Libc.fsopen(t, Libc.FSOPEN_CLOEXEC);
        Check(fd, $"fsopen `{fsType}`");
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Sets one parameter; false with the errno when the kernel refuses it (the kernel's reason is in <see cref="FsContextMessages"/>).</summary>
    public static bool TryFsConfigString(SafeFileHandle context, string key, string value, out int errno)
    {
        int rc;
        fixed (byte* k = Utf8z(key))
        fixed (byte* v = Utf8z(value))
            rc = Libc.fsconfig(Fd(context), Libc.FSCONFIG_SET_STRING, k, v, 0);
        errno = rc == -1 ? LastErrno : 0;
        return rc == 0;
    }

    /// <summary>Sets one parameter (fsconfig FSCONFIG_SET_STRING); the error carries the kernel's own reason.</summary>
    public static void FsConfigString(SafeFileHandle context, string key, string value)
    {
        if (!TryFsConfigString(context, key, value, out int errno))
            throw FsContextError($"fsconfig `{key}={value}`", context, errno);
    }

    /// <summary>Creates the superblock (FSCONFIG_CMD_CREATE) and returns a detached mount of it (fsmount), for <see cref="AttachMountTree(SafeFileHandle, string)"/>.</summary>
    public static SafeFileHandle FsCreateAndMount(SafeFileHandle context, string what)
    {
        if (Libc.fsconfig(Fd(context), Libc.FSCONFIG_CMD_CREATE, null, null, 0) == -1)
            throw FsContextError($"fsconfig create {what}", context, LastErrno);
        int fd = Libc.fsmount(Fd(context), Libc.FSMOUNT_CLOEXEC, 0);
        if (fd == -1)
            throw FsContextError($"fsmount {what}", context, LastErrno);
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Attaches a detached mount (from fsmount or open_tree) at <paramref name="target"/> (move_mount).</summary>
    public static void AttachMountTree(SafeFileHandle tree, string target) => AttachMountTree(Fd(tree), target);

    /// <summary>
    /// The messages the filesystem logged into the context ("e overlay: too many lower directories, limit is
    /// 500"): read(2) on the context fd returns one per call, then fails with ENODATA.
    /// </summary>
    public static List<string> FsContextMessages(SafeFileHandle context)
    {
        var messages = new List<string>();
        byte* buffer = stackalloc byte[1024];
        while (messages.Count < 16)
        {
            long n = Tmds.Linux.LibC.read(Fd(context), buffer, 1024);
            if (n <= 0)
                break;
            messages.Add(Encoding.UTF8.GetString(buffer, (int)n).TrimEnd('\n'));
        }
        return messages;
    }

    private static SyscallException FsContextError(string operation, SafeFileHandle context, int errno)
    {
        var messages = FsContextMessages(context);
        return new SyscallException(messages.Count == 0 ? operation : $"{operation} ({string.Join("; ", messages)})", errno);
    }
}
