namespace Berth.Api;

/// <summary>Volume.UsageData: bytes used and the number of containers referencing the volume (-1: unknown).</summary>
public sealed class VolumeUsageData
{
    public long Size { get; set; } = -1;

    public long RefCount { get; set; } = -1;
}
