namespace Berth.Engine.Containers;

/// <summary>One host binding of a published port, with Docker's names (both strings, as in the Engine API).</summary>
public sealed class PortBinding
{
    public string HostIp { get; set; } = "";

    public string HostPort { get; set; } = "";
}
