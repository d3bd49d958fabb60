namespace Berth.Api;

/// <summary>The log driver; the CLI sends <c>{"Type":"","Config":{}}</c> for the daemon's default.</summary>
public sealed class LogConfig
{
    public string Type { get; set; } = "";

    public Dictionary<string, string>? Config { get; set; }
}
