using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Berth.Interop;

public static unsafe partial class Sys
{
    /// <summary>Whether <paramref name="path"/> is the root of a mount (statx Libc.STATX_ATTR_MOUNT_ROOT: no mount table scan).</summary>
    public static bool IsMountRoot(string path)
    {
        statx st;
        int rc;
        fixed (byte* p = Utf8z(path))
            rc = statx(AT_FDCWD, p, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &st);
        if (rc == -1)
            return LastErrno is Errno.ENOENT or Errno.ENOTDIR ? false : throw SyscallException.FromLastError($"statx `{path}`");
        return (st.stx_attributes_mask & Libc.STATX_ATTR_MOUNT_ROOT) != 0
            ? (st.stx_attributes & Libc.STATX_ATTR_MOUNT_ROOT) != 0
            : throw new SyscallException($"statx `{path}`: the kernel does not report mount roots", Errno.EOPNOTSUPP);
    }
}
