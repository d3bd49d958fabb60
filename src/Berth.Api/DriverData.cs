namespace Berth.Api;

/// <summary>The storage driver and its data (GraphDriver of container and image inspect).</summary>
public sealed class DriverData
{
    public string Name { get; set; } = "";

    public Dictionary<string, string> Data { get; set; } = [];
}
