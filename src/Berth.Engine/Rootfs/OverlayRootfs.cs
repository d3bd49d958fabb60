using Berth.Interop;

namespace Berth.Engine.Rootfs;

/// <summary>
/// A container's root filesystem: overlayfs with the image's layers as lower dirs and a per-container
/// upper and work dir. Mounted in the host's mount namespace (like Docker's overlay2), so the engine can
/// read a running container's files; berth-init pivots into it inside the container's own namespace.
/// </summary>
public sealed class OverlayRootfs(string containerDirectory)
{
    // The kernel copies mount data into one page: longer option strings fail with EINVAL.
    private const int MaxMountDataLength = 4095;

    public string UpperDirectory { get; } = Path.Combine(containerDirectory, "upper");

    public string WorkDirectory { get; } = Path.Combine(containerDirectory, "work");

    public string MergedDirectory { get; } = Path.Combine(containerDirectory, "merged");

    /// <summary>Creates the upper, work and mount point directories (no mount yet).</summary>
    public void Create()
    {
        Directory.CreateDirectory(UpperDirectory);
        Directory.CreateDirectory(WorkDirectory);
        Directory.CreateDirectory(MergedDirectory);
    }

    /// <param name="lowerDirectories">The image's layer directories, top-most first.</param>
    public void Mount(IReadOnlyList<string> lowerDirectories)
    {
        if (lowerDirectories.Count == 0)
            throw new ArgumentException("an overlay needs at least one lower directory", nameof(lowerDirectories));
        string options = $"lowerdir={string.Join(':', lowerDirectories)},upperdir={UpperDirectory},workdir={WorkDirectory}";
        if (options.Length > MaxMountDataLength)
            throw new InvalidOperationException($"overlay mount options for `{MergedDirectory}` are {options.Length} bytes, more than the kernel's {MaxMountDataLength}: the image has too many layers");
        Sys.Mount("overlay", MergedDirectory, "overlay", 0, options);
    }

    /// <summary>Unmounts if mounted; returns whether something was unmounted.</summary>
    public bool Unmount() => Sys.TryUnmount(MergedDirectory, Libc.UMOUNT_NOFOLLOW);

    public bool IsMounted() => MountTable.IsMountPoint(MergedDirectory);
}
