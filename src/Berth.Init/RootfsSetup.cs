using Berth.Interop;
using static Berth.Interop.Libc;

namespace Berth.Init;

/// <summary>pivot_root into the container's root and the kernel filesystems Docker mounts by default.</summary>
public static unsafe class RootfsSetup
{
    private const ulong NoSuidDevExec = MS_NOSUID | MS_NODEV | MS_NOEXEC;

    /// <summary>
    /// The pivot_root idiom of crun's do_pivot: no put_old directory is needed, the old root ends up
    /// stacked under the new one and is detached until nothing of the host's tree is left.
    /// </summary>
    public static void PivotRoot(string rootfs)
    {
        int oldRoot = OpenDirectory("/");
        int newRoot = OpenDirectory(rootfs);
        try
        {
            Check(Tmds.Linux.LibC.fchdir(newRoot), $"chdir `{rootfs}`");
            Sys.PivotRoot(".", ".");
            Check(Tmds.Linux.LibC.fchdir(oldRoot), "chdir old root");
            Sys.Mount(null, ".", null, MS_REC | MS_PRIVATE);
            Sys.Unmount(".", MNT_DETACH);
            while (Sys.TryUnmount(".", MNT_DETACH))
            {
            }
            Directory.SetCurrentDirectory("/");
        }
        finally
        {
            Tmds.Linux.LibC.close(oldRoot);
            Tmds.Linux.LibC.close(newRoot);
        }
    }

    public static void MountProc()
    {
        Directory.CreateDirectory("/proc");
        Sys.Mount("proc", "/proc", "proc", NoSuidDevExec);
    }

    public static void MountSys(Berth.InitSpec.InitCgroupMount cgroup)
    {
        Directory.CreateDirectory("/sys");
        Sys.Mount("sysfs", "/sys", "sysfs", NoSuidDevExec | MS_RDONLY);
        switch (cgroup.Version)
        {
            case 2:
                Sys.Mount("cgroup2", "/sys/fs/cgroup", "cgroup2", NoSuidDevExec | MS_RDONLY);
                break;
            case 1:
                Sys.Mount("tmpfs", "/sys/fs/cgroup", "tmpfs", NoSuidDevExec, "mode=755");
                foreach (var hierarchy in cgroup.Hierarchies)
                {
                    string target = "/sys/fs/cgroup/" + hierarchy.Directory;
                    Directory.CreateDirectory(target);
                    string type = hierarchy.Options == "cgroup2" ? "cgroup2" : "cgroup";
                    string? options = type == "cgroup2" ? null : hierarchy.Options;
                    Sys.Mount("cgroup", target, type, NoSuidDevExec | MS_RDONLY, options);
                }
                Sys.Mount(null, "/sys/fs/cgroup", null, MS_REMOUNT | NoSuidDevExec | MS_RDONLY, "mode=755");
                break;
        }
    }

    /// <summary>Docker's masked paths: /dev/null over a file, an empty read-only tmpfs over a directory.</summary>
    public static void MaskPaths(IEnumerable<string> paths)
    {
        foreach (string path in paths)
        {
            var info = new FileInfo(path);
            if (!info.Exists && !Directory.Exists(path))
                continue;
            if (info.Attributes.HasFlag(FileAttributes.Directory))
                Sys.Mount("tmpfs", path, "tmpfs", MS_RDONLY);
            else
                Sys.Mount("/dev/null", path, null, MS_BIND);
        }
    }

    public static void MakeReadonly(IEnumerable<string> paths)
    {
        foreach (string path in paths)
        {
            if (!Path.Exists(path))
                continue;
            Sys.Mount(path, path, null, MS_BIND | MS_REC);
            Sys.Mount(path, path, null, MS_BIND | MS_REMOUNT | MS_RDONLY | NoSuidDevExec);
        }
    }

    public static void RemountRootReadonly() =>
        Sys.Mount(null, "/", null, MS_BIND | MS_REMOUNT | MS_RDONLY);

    private static int OpenDirectory(string path)
    {
        int fd;
        fixed (byte* p = System.Text.Encoding.UTF8.GetBytes(path + "\0"))
            fd = Tmds.Linux.LibC.open(p, Tmds.Linux.LibC.O_DIRECTORY | Tmds.Linux.LibC.O_PATH | Tmds.Linux.LibC.O_CLOEXEC, 0);
        Check(fd, $"open `{path}`");
        return fd;
    }

    private static void Check(int result, string operation)
    {
        if (result == -1)
            throw SyscallException.FromLastError(operation);
    }
}
