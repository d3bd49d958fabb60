namespace Berth.Api;

/// <summary>swagger <c>ConfigReference</c>: the config-only network a network was created from (always empty here).</summary>
public sealed class NetworkConfigReference
{
    public string Network { get; set; } = "";
}
