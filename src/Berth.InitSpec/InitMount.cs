namespace Berth.InitSpec;

/// <summary>A bind mount of a host path into the container (`-v SRC:DST[:ro]`).</summary>
public sealed class InitMount
{
    public string Source { get; set; } = "";

    public string Destination { get; set; } = "";

    public bool ReadOnly { get; set; }
}
