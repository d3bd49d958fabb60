namespace Berth.TestImages;

/// <summary>
/// Makes the busybox rootfs: /bin/busybox from the .deb, its applet symlinks, the usual directories and a
/// minimal /etc with a non-root user (1000:1000) who also belongs to groups users (100) and extra (2000).
/// </summary>
internal static class BusyboxRootfs
{
    public const int UserId = 1000;
    const UnixFileMode Dir = (UnixFileMode)0b111_101_101;
    const UnixFileMode File644 = (UnixFileMode)0b110_100_100;

    static readonly (string Path, UnixFileMode Mode)[] Directories =
    [
        ("bin", Dir), ("sbin", Dir), ("usr", Dir), ("usr/bin", Dir), ("usr/sbin", Dir), ("etc", Dir),
        ("tmp", (UnixFileMode)0b1_111_111_111), ("root", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute),
        ("home", Dir), ("home/user", Dir), ("proc", Dir), ("sys", Dir), ("dev", Dir), ("var", Dir), ("data", Dir),
    ];

    static readonly (string Path, string Text)[] EtcFiles =
    [
        ("etc/passwd",
            "root:x:0:0:root:/root:/bin/sh\n" +
            "daemon:x:1:1:daemon:/usr/sbin:/bin/false\n" +
            "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n" +
            "user:x:1000:1000:user:/home/user:/bin/sh\n"),
        ("etc/group",
            "root:x:0:\n" +
            "daemon:x:1:\n" +
            "users:x:100:user\n" +
            "user:x:1000:\n" +
            "extra:x:2000:user\n" +
            "nogroup:x:65534:\n"),
        ("etc/os-release", "NAME=\"Berth test busybox\"\nID=busybox\n"),
    ];

    /// <summary>Owner of a rootfs path (relative, no leading slash): /home/user is the user's, the rest root's.</summary>
    public static int OwnerOf(string relativePath) =>
        relativePath == "home/user" || relativePath.StartsWith("home/user/", StringComparison.Ordinal) ? UserId : 0;

    public static void Create(string rootfs, string debPath)
    {
        if (Directory.Exists(rootfs))
            Directory.Delete(rootfs, recursive: true);
        Directory.CreateDirectory(rootfs);
        File.SetUnixFileMode(rootfs, Dir);
        foreach (var (path, mode) in Directories)
        {
            Directory.CreateDirectory(Path.Combine(rootfs, path));
            File.SetUnixFileMode(Path.Combine(rootfs, path), mode);
        }
        CopyBusybox(rootfs, debPath);
        InstallApplets(rootfs);
        foreach (var (path, text) in EtcFiles)
        {
            File.WriteAllText(Path.Combine(rootfs, path), text);
            File.SetUnixFileMode(Path.Combine(rootfs, path), File644);
        }
        if (Environment.IsPrivilegedProcess)
            Command.Check("chown", null, $"{UserId}:{UserId}", Path.Combine(rootfs, "home/user"));
    }

    static void CopyBusybox(string rootfs, string debPath)
    {
        var extracted = rootfs + ".deb";
        if (Directory.Exists(extracted))
            Directory.Delete(extracted, recursive: true);
        try
        {
            Command.Check("dpkg", null, "-x", debPath, extracted);
            var busybox = new[] { "bin/busybox", "usr/bin/busybox" }.Select(p => Path.Combine(extracted, p)).FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException($"{debPath} holds neither bin/busybox nor usr/bin/busybox");
            var target = Path.Combine(rootfs, "bin/busybox");
            File.Copy(busybox, target);
            File.SetUnixFileMode(target, Dir);
        }
        finally
        {
            Directory.Delete(extracted, recursive: true);
        }
    }

    /// <summary>
    /// `busybox --install -s` links to the path of the running binary, so it runs chrooted to link to /bin/busybox.
    /// Without root, the links come from `busybox --list-full` instead.
    /// </summary>
    static void InstallApplets(string rootfs)
    {
        if (Environment.IsPrivilegedProcess)
        {
            Command.Check("chroot", null, rootfs, "/bin/busybox", "--install", "-s");
            return;
        }
        var list = Command.Check(Path.Combine(rootfs, "bin/busybox"), null, "--list-full");
        foreach (var applet in list.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var link = Path.Combine(rootfs, applet);
            if (!Path.Exists(link))
                File.CreateSymbolicLink(link, "/bin/busybox");
        }
    }
}
