using Berth.Http;
using Wire = Berth.Api;
using Core = Berth.Engine.Volumes;

namespace Berth.Daemon.Api;

/// <summary>
/// HostConfig.Mounts into the engine's <see cref="Core.MountSpec"/>. Options of another type are refused, as moby
/// does since API 1.42 ("field VolumeOptions must not be specified"); what Berth does not do (image mounts,
/// subpaths, non-recursive binds) is a 400 naming it, never ignored.
/// </summary>
public static class MountMapper
{
    private static readonly string[] Propagations = ["", "private", "rprivate", "shared", "rshared", "slave", "rslave"];

    public static Core.MountSpec Map(Wire.Mount mount)
    {
        string type = mount.Type;
        if (type is not ("bind" or "volume" or "tmpfs"))
            throw Invalid(type, type is "image" or "npipe" or "cluster" ? $"mounts of type \"{type}\" are not supported by Berth" : "mount type unknown");
        if (mount.BindOptions is not null && type != "bind")
            throw Invalid(type, "field BindOptions must not be specified");
        if (mount.VolumeOptions is not null && type != "volume")
            throw Invalid(type, "field VolumeOptions must not be specified");
        if (mount.TmpfsOptions is not null && type != "tmpfs")
            throw Invalid(type, "field TmpfsOptions must not be specified");
        if (mount.ImageOptions is not null)
            throw Invalid(type, "field ImageOptions must not be specified");

        var spec = new Core.MountSpec { Type = type, Source = mount.Source, Target = mount.Target, ReadOnly = mount.ReadOnly };
        if (mount.BindOptions is { } bind)
        {
            if (!Propagations.Contains(bind.Propagation))
                throw Invalid(type, $"invalid propagation mode: {bind.Propagation}");
            if (bind.NonRecursive || bind.ReadOnlyNonRecursive || bind.ReadOnlyForceRecursive)
                throw Invalid(type, "non-recursive bind options are not supported by Berth");
            spec.Propagation = bind.Propagation;
        }
        if (mount.VolumeOptions is { } volume)
        {
            if (volume.Subpath.Length > 0)
                throw Invalid(type, "volume subpaths are not supported by Berth");
            spec.NoCopy = volume.NoCopy;
            spec.VolumeLabels = volume.Labels;
            spec.VolumeDriver = volume.DriverConfig?.Name ?? "";
            spec.VolumeDriverOptions = volume.DriverConfig?.Options;
        }
        if (mount.TmpfsOptions is { } tmpfs)
        {
            if (tmpfs.Options is { Count: > 0 })
                throw Invalid(type, "TmpfsOptions.Options are not supported by Berth; use SizeBytes and Mode");
            if (tmpfs.Mode > 0xFFF)
                throw Invalid(type, $"invalid tmpfs mode {tmpfs.Mode}: only permission bits are allowed");
            spec.TmpfsSizeBytes = tmpfs.SizeBytes;
            spec.TmpfsMode = tmpfs.Mode;
        }
        return spec;
    }

    private static ApiException Invalid(string type, string message) => new(400, $"invalid mount config for type \"{type}\": {message}");
}
