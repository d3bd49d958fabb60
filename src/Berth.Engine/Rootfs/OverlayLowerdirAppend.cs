using Berth.Interop;

namespace Berth.Engine.Rootfs;

/// <summary>
/// Whether the kernel's overlayfs takes lower layers one at a time through the new mount API
/// (fsconfig "lowerdir+", Linux 6.8): asked once, by setting one such layer on a context that is never mounted.
/// </summary>
internal static class OverlayLowerdirAppend
{
    private static readonly Lazy<bool> Probe = new(IsSupportedByKernel);

    public static bool IsSupported => Probe.Value;

    private static bool IsSupportedByKernel()
    {
        try
        {
            using var context = Sys.FsOpen("overlay");
            // Older kernels refuse the unknown parameter with EINVAL.
            return Sys.TryFsConfigString(context, "lowerdir+", "/", out _);
        }
        catch (SyscallException)
        {
            // fsopen itself: ENOSYS before Linux 5.2, ENODEV without overlayfs.
            return false;
        }
    }
}
