using Berth.Interop;
using Berth.InitSpec;
using static Berth.Interop.Libc;

namespace Berth.Init;

/// <summary>
/// `-v SRC:DST[:ro]`. Sources are host paths, opened (O_PATH) before pivot_root; they are mounted after it
/// through /proc/self/fd, so a destination is resolved inside the new root and a symlink in the image can
/// never send a mount, or the directory created for it, out to the host.
/// </summary>
public static unsafe class BindMounts
{
    public static int[] OpenSources(List<InitMount> mounts)
    {
        var fds = new int[mounts.Count];
        for (int i = 0; i < mounts.Count; i++)
        {
            fixed (byte* p = System.Text.Encoding.UTF8.GetBytes(mounts[i].Source + "\0"))
                fds[i] = Tmds.Linux.LibC.open(p, Tmds.Linux.LibC.O_PATH | Tmds.Linux.LibC.O_CLOEXEC, 0);
            if (fds[i] == -1)
                throw SyscallException.FromLastError($"open bind source `{mounts[i].Source}`");
        }
        return fds;
    }

    public static void Mount(List<InitMount> mounts, int[] sourceFds)
    {
        for (int i = 0; i < mounts.Count; i++)
        {
            string source = $"/proc/self/fd/{sourceFds[i]}";
            string destination = mounts[i].Destination;
            if (Directory.Exists(source))
                Directory.CreateDirectory(destination);
            else
                CreateFileMountPoint(destination);
            Sys.Mount(source, destination, null, MS_BIND | MS_REC);
            if (mounts[i].ReadOnly)
                Sys.Mount(source, destination, null, MS_BIND | MS_REMOUNT | MS_RDONLY);
            Tmds.Linux.LibC.close(sourceFds[i]);
        }
    }

    private static void CreateFileMountPoint(string path)
    {
        if (Path.Exists(path))
            return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, []);
    }
}
