namespace Berth.Api;

/// <summary>A block device weight (<c>BlkioWeightDevice</c>).</summary>
public sealed class WeightDevice
{
    public string Path { get; set; } = "";

    public int Weight { get; set; }
}
