using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Berth.Interop;

public static unsafe partial class Sys
{
    /// <summary>
    /// Whether <paramref name="path"/> is a socket file (lstat, no symlink followed).
    /// False when nothing exists at the path or it is another kind of file.
    /// </summary>
    public static bool IsSocketFile(string path)
    {
        stat st;
        int result;
        fixed (byte* p = Utf8z(path))
            result = lstat(p, &st);
        if (result == -1 && LastErrno == Errno.ENOENT)
            return false;
        Check(result, $"lstat `{path}`");
        return S_ISSOCK(st.st_mode);
    }
}
