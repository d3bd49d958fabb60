namespace Berth.InitSpec;

/// <summary>A mount into the container: a bind of a host path or a volume's directory (`-v`, `--mount`), or a tmpfs (`--tmpfs`).</summary>
public sealed class InitMount
{
    public const string BindType = "bind";
    public const string TmpfsType = "tmpfs";

    /// <summary><see cref="BindType"/> or <see cref="TmpfsType"/>.</summary>
    public string Type { get; set; } = BindType;

    /// <summary>The host path of a bind; empty for a tmpfs.</summary>
    public string Source { get; set; } = "";

    public string Destination { get; set; } = "";

    public bool ReadOnly { get; set; }

    /// <summary>A bind's propagation (`rshared`, `slave`...); empty leaves the clone's own (private).</summary>
    public string Propagation { get; set; } = "";

    /// <summary>A tmpfs's mount flags (MS_*) and data (`size=…,mode=…`).</summary>
    public ulong Flags { get; set; }

    public string Data { get; set; } = "";
}
