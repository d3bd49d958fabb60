namespace Berth.Api;

/// <summary>A swarm manager node (unused by Berth; part of <see cref="SwarmInfo"/>).</summary>
public sealed class PeerNode
{
    public string NodeID { get; set; } = "";

    public string Addr { get; set; } = "";
}
