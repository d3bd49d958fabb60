namespace Berth.Api;

/// <summary>One component of <c>/version</c> (<c>Engine</c>, ...), with free-form details.</summary>
public sealed class ComponentVersion
{
    public string Name { get; set; } = "";

    public string Version { get; set; } = "";

    public Dictionary<string, string>? Details { get; set; }
}
