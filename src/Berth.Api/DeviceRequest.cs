namespace Berth.Api;

/// <summary>A request for devices from a driver (<c>--gpus</c>).</summary>
public sealed class DeviceRequest
{
    public string Driver { get; set; } = "";

    public int Count { get; set; }

    public List<string>? DeviceIDs { get; set; }

    public List<List<string>>? Capabilities { get; set; }

    public Dictionary<string, string>? Options { get; set; }
}
