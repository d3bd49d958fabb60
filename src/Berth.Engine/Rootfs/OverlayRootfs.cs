using System.Text;
using Berth.Interop;
using Microsoft.Win32.SafeHandles;
using static Tmds.Linux.LibC;

namespace Berth.Engine.Rootfs;

/// <summary>
/// A container's root filesystem: overlayfs with the image's layers as lower dirs and a per-container
/// upper and work dir. Mounted in the host's mount namespace (like Docker's overlay2), so the engine can
/// read a running container's files; berth-init pivots into it inside the container's own namespace.
/// <para>
/// mount(2) copies its options into one page (4095 bytes), which at ~115 bytes a layer path stops at about
/// 35 layers (the fast path, used whenever the options fit). Since Linux 6.8, fsconfig takes the lower layers one "lowerdir+" at a time, each up to 255
/// bytes, which lifts that limit: only overlayfs's own stack limit remains (<see cref="MaxLowerLayers"/>).
/// Older kernels get mount(2) with each layer named as <c>/proc/self/fd/N</c> of an O_PATH handle (18-19
/// bytes): about 200 layers fit, more than Docker's 125, with no chdir (berthd's threads share one working
/// directory) and no link directory to create, keep and clean as Docker's overlay2 <c>l/</c> does.
/// </para>
/// <para>
/// Measured here (kernel 6.18, 2 shared vCPUs, best of 20 mounts in three runs; medians were 2-8x noisier), hence
/// mount(2) whenever its page holds the options and lowerdir+ beyond:
/// 1 layer 0.39 ms lowerdir+ vs 0.21 ms mount(2); 40 layers 0.54 vs 0.65 (fd names); 125 layers 1.2 vs 1.5
/// (fd names); 500 layers 4.7 ms lowerdir+ (mount(2) cannot).
/// </para>
/// </summary>
public sealed class OverlayRootfs(string containerDirectory)
{
    /// <summary>overlayfs's OVL_MAX_STACK (fs/overlayfs/params.h): the most lower layers one mount can stack.</summary>
    public const int MaxLowerLayers = 500;

    // The kernel copies mount(2) data into one page: longer option strings fail with EINVAL.
    private const int MaxMountDataLength = 4095;

    // fsconfig copies a string parameter of at most 256 bytes with its NUL (strndup_user in fs/fsopen.c).
    private const int MaxFsConfigString = 255;

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
    public void Mount(IReadOnlyList<string> lowerDirectories) => Mount(lowerDirectories, OverlayLowerdirAppend.IsSupported);

    /// <param name="lowerDirectories">The image's layer directories, top-most first.</param>
    /// <param name="layerByLayer">Whether fsconfig "lowerdir+" may be used (false forces the mount(2) fallback, for tests).</param>
    /// <param name="forceLayerByLayer">Use "lowerdir+" even for options that fit mount(2)'s page, and fail rather than fall back (tests).</param>
    internal void Mount(IReadOnlyList<string> lowerDirectories, bool layerByLayer, bool forceLayerByLayer = false)
    {
        if (lowerDirectories.Count == 0)
            throw new ArgumentException("an overlay needs at least one lower directory", nameof(lowerDirectories));
        if (lowerDirectories.Count > MaxLowerLayers)
            throw new InvalidOperationException($"the image has {lowerDirectories.Count} layers: overlayfs stacks at most {MaxLowerLayers}");
        // mount(2) whenever the options fit in its page: the fastest (0.21 against 0.39 ms for one layer) and what
        // every kernel takes; lowerdir+ only for the images it is needed for.
        string options = Options(lowerDirectories);
        if (options.Length <= MaxMountDataLength && !forceLayerByLayer)
        {
            Sys.Mount("overlay", MergedDirectory, "overlay", 0, options);
            return;
        }
        if (layerByLayer && lowerDirectories.Append(UpperDirectory).Append(WorkDirectory).All(FitsFsConfig))
        {
            try
            {
                MountLayerByLayer(lowerDirectories);
                return;
            }
            catch (SyscallException e) when (e.Errno == Errno.EINVAL && !forceLayerByLayer)
            {
                // The cgroup v2 VM lane's kernel takes "lowerdir+" but refuses the superblock (FSCONFIG_CMD_CREATE)
                // with EINVAL, while mount(2) of the same layers works: /proc/self/fd names then, up to ~200 layers.
            }
        }
        MountWithFdNames(lowerDirectories);
    }

    /// <summary>Unmounts if mounted; returns whether something was unmounted.</summary>
    public bool Unmount() => Sys.TryUnmount(MergedDirectory, Libc.UMOUNT_NOFOLLOW);

    public bool IsMounted() => MountTable.IsMountPoint(MergedDirectory);

    /// <summary>The layout as docker inspect's overlay2 GraphDriver.Data shows it (LowerDir empty when the image is gone).</summary>
    public Dictionary<string, string> Describe(IReadOnlyList<string>? lowerDirectories) => new()
    {
        ["LowerDir"] = string.Join(':', lowerDirectories ?? []),
        ["MergedDir"] = MergedDirectory,
        ["UpperDir"] = UpperDirectory,
        ["WorkDir"] = WorkDirectory,
    };

    private void MountLayerByLayer(IReadOnlyList<string> lowerDirectories)
    {
        using var context = Sys.FsOpen("overlay");
        Sys.FsConfigString(context, "source", "overlay");
        foreach (string lower in lowerDirectories)
            Sys.FsConfigString(context, "lowerdir+", lower);
        Sys.FsConfigString(context, "upperdir", UpperDirectory);
        Sys.FsConfigString(context, "workdir", WorkDirectory);
        using var mount = Sys.FsCreateAndMount(context, $"overlay for `{MergedDirectory}`");
        Sys.AttachMountTree(mount, MergedDirectory);
    }

    private void MountWithFdNames(IReadOnlyList<string> lowerDirectories)
    {
        var handles = new List<SafeFileHandle>(lowerDirectories.Count);
        try
        {
            foreach (string lower in lowerDirectories)
                handles.Add(OpenPath(lower));
            string shortOptions = Options(handles.Select(h => $"/proc/self/fd/{h.DangerousGetHandle()}"));
            if (shortOptions.Length > MaxMountDataLength)
                throw new InvalidOperationException($"the image has {lowerDirectories.Count} layers: their overlay mount options need {shortOptions.Length} bytes, more than the {MaxMountDataLength} this kernel takes (Linux 6.8 and later take any number)");
            Sys.Mount("overlay", MergedDirectory, "overlay", 0, shortOptions);
        }
        finally
        {
            foreach (var handle in handles)
                handle.Dispose();
        }
    }

    private string Options(IEnumerable<string> lowerDirectories) =>
        $"lowerdir={string.Join(':', lowerDirectories)},upperdir={UpperDirectory},workdir={WorkDirectory}";

    private static SafeFileHandle OpenPath(string directory) =>
        Sys.TryOpen(directory, O_PATH | O_DIRECTORY | O_CLOEXEC, out var handle)
            ? handle
            : throw new SyscallException($"open `{directory}`", Errno.ENOENT);

    private static bool FitsFsConfig(string path) => Encoding.UTF8.GetByteCount(path) <= MaxFsConfigString;
}
