using Berth.Cli.CommandLine;

namespace Berth.Cli.Output;

/// <summary>
/// The <c>--format</c> values berth understands for lists: "" or "table" (docker's default table) and "json"
/// (one JSON object per line). Go templates are not supported.
/// </summary>
internal enum ListFormat
{
    Table,
    Json,
}

internal static class ListFormats
{
    public static ListFormat Parse(string? format) => (format ?? "").Trim() switch
    {
        "" or "table" => ListFormat.Table,
        "json" => ListFormat.Json,
        _ => throw new CliException(1, $"berth: unsupported format \"{format}\": berth supports \"table\" and \"json\" (Go templates are not implemented)"),
    };
}
