using Berth.Interop;
using static Berth.Interop.Libc;

namespace Berth.Init;

/// <summary>/dev as Docker sets it up: a tmpfs with the default device nodes, devpts, shm, mqueue and the fd links.</summary>
public static class DeviceSetup
{
    private static readonly (string Name, uint Major, uint Minor)[] DefaultDevices =
    [
        ("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0),
    ];

    private static readonly (string Link, string Target)[] DefaultLinks =
    [
        ("/dev/fd", "/proc/self/fd"), ("/dev/stdin", "/proc/self/fd/0"), ("/dev/stdout", "/proc/self/fd/1"),
        ("/dev/stderr", "/proc/self/fd/2"), ("/dev/ptmx", "pts/ptmx"), ("/dev/core", "/proc/kcore"),
    ];

    public static void MountDev(long shmSize)
    {
        Directory.CreateDirectory("/dev");
        Sys.Mount("tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k");
        foreach (var (name, major, minor) in DefaultDevices)
            Sys.Mknod("/dev/" + name, Sys.S_IFCHR | 0x1b6 /* 0666 */, Sys.MakeDev(major, minor));

        Directory.CreateDirectory("/dev/pts");
        Sys.Mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5");
        Directory.CreateDirectory("/dev/shm");
        Sys.Mount("shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, $"mode=1777,size={shmSize}");
        Directory.CreateDirectory("/dev/mqueue");
        Sys.Mount("mqueue", "/dev/mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC);

        foreach (var (link, target) in DefaultLinks)
            File.CreateSymbolicLink(link, target);
    }

    /// <summary>The --init program (berth-reaper) at /dev/init: a file of our own tmpfs, so the image is not touched.</summary>
    public static void MountInitProgram(int tree)
    {
        File.WriteAllBytes(DevInit, []);
        Sys.AttachMountTree(tree, DevInit);
        Tmds.Linux.LibC.close(tree);
        Sys.Mount(null, DevInit, null, MS_BIND | MS_REMOUNT | MS_RDONLY);
    }

    public const string DevInit = "/dev/init";
}
