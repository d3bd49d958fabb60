namespace Berth.Api;

/// <summary>The Plugins of <c>/info</c>: names per plugin type.</summary>
public sealed class PluginsInfo
{
    public List<string> Volume { get; set; } = [];

    public List<string> Network { get; set; } = [];

    public List<string>? Authorization { get; set; }

    public List<string> Log { get; set; } = [];
}
