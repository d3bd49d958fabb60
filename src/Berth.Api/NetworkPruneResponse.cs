namespace Berth.Api;

/// <summary>The answer of <c>POST /networks/prune</c>.</summary>
public sealed class NetworkPruneResponse
{
    public List<string>? NetworksDeleted { get; set; }
}
