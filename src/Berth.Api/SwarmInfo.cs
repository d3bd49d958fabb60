namespace Berth.Api;

/// <summary>The Swarm of <c>/info</c>; Berth has no swarm mode, so LocalNodeState is <c>inactive</c>.</summary>
public sealed class SwarmInfo
{
    public string NodeID { get; set; } = "";

    public string NodeAddr { get; set; } = "";

    /// <summary><c>inactive</c>, <c>pending</c>, <c>active</c>, <c>error</c>, <c>locked</c>.</summary>
    public string LocalNodeState { get; set; } = "inactive";

    public bool ControlAvailable { get; set; }

    public string Error { get; set; } = "";

    public List<PeerNode>? RemoteManagers { get; set; }
}
