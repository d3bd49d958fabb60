namespace Berth.Engine.Logs;

/// <summary>A container's log driver and its options (`--log-driver`, `--log-opt`).</summary>
public sealed class LogConfig
{
    public string Type { get; set; } = "";

    public Dictionary<string, string> Config { get; set; } = [];
}
