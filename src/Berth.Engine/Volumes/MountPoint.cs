namespace Berth.Engine.Volumes;

/// <summary>
/// A mount of a container as resolved at create and kept in its record (moby's MountPoint): what inspect's
/// Mounts shows, plus what a start needs (the tmpfs options, whether to copy the image's files up).
/// </summary>
public sealed class MountPoint
{
    public const string Bind = "bind";
    public const string VolumeType = "volume";
    public const string Tmpfs = "tmpfs";

    public string Type { get; set; } = "";

    /// <summary>The volume's name (volume mounts).</summary>
    public string Name { get; set; } = "";

    /// <summary>The host path: a bind's source, a volume's data directory; empty for tmpfs.</summary>
    public string Source { get; set; } = "";

    public string Destination { get; set; } = "";

    public string Driver { get; set; } = "";

    /// <summary>The mode as given (`-v a:/b:ro,nocopy` gives "ro,nocopy").</summary>
    public string Mode { get; set; } = "";

    public bool RW { get; set; } = true;

    public string Propagation { get; set; } = "";

    /// <summary>A volume created for this container without a name: removed with it by `rm -v` and `run --rm`.</summary>
    public bool Anonymous { get; set; }

    /// <summary>Fill the volume with the image's files at its destination if it is empty (at create).</summary>
    public bool CopyData { get; set; }

    /// <summary>A `-v` bind whose missing host directory is created at start (docker does; `--mount` refuses instead).</summary>
    public bool CreateSource { get; set; }

    /// <summary>tmpfs mount data (`size=…,mode=…`).</summary>
    public string TmpfsData { get; set; } = "";
}
