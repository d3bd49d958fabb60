namespace Berth.Compose;

/// <summary>One entry of a service's <c>volumes</c> in the long form: type volume, bind or tmpfs; source (empty for an anonymous volume).</summary>
public sealed record ServiceVolume(string Type, string? Source, string Target, bool ReadOnly, ComposeNode At)
{
    public bool NoCopy { get; init; }

    public long? TmpfsSize { get; init; }
}
