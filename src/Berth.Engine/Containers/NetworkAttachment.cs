namespace Berth.Engine.Containers;

/// <summary>A network a container was connected to with `network connect` beyond NetworkMode's, with its endpoint settings.</summary>
public sealed class NetworkAttachment
{
    /// <summary>The network's ID.</summary>
    public string Network { get; set; } = "";

    public List<string>? Aliases { get; set; }

    public List<string>? Links { get; set; }

    public string? IPv4Address { get; set; }

    public string? MacAddress { get; set; }
}
