namespace Berth.Engine.Logs;

/// <summary>One entry of a container's json-file log: a line (with its newline, if it had one) of one stream.</summary>
public sealed record LogEntry(LogStream Stream, DateTime Time, byte[] Line);
