namespace Berth.Engine.Volumes;

/// <summary>One entry of HostConfig.Mounts (`--mount`), with the options of its type.</summary>
public sealed class MountSpec
{
    /// <summary><c>bind</c>, <c>volume</c> or <c>tmpfs</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>The host path (bind) or the volume name (volume; empty: an anonymous volume).</summary>
    public string Source { get; set; } = "";

    public string Target { get; set; } = "";

    public bool ReadOnly { get; set; }

    /// <summary>Bind: <c>private</c>, <c>rprivate</c>, <c>shared</c>, <c>rshared</c>, <c>slave</c>, <c>rslave</c>; empty for the default.</summary>
    public string Propagation { get; set; } = "";

    /// <summary>Volume: do not fill an empty volume with the image's files.</summary>
    public bool NoCopy { get; set; }

    /// <summary>Volume: labels and driver options of a volume created for this mount.</summary>
    public Dictionary<string, string>? VolumeLabels { get; set; }

    public string VolumeDriver { get; set; } = "";

    public Dictionary<string, string>? VolumeDriverOptions { get; set; }

    /// <summary>Tmpfs: the size limit in bytes; 0 for the kernel's default (half of RAM).</summary>
    public long TmpfsSizeBytes { get; set; }

    /// <summary>Tmpfs: the permission bits of its root; 0 for the default (1777).</summary>
    public uint TmpfsMode { get; set; }
}
