namespace Berth.Engine.Containers;

/// <summary>How a run of a container ended: what `docker wait` reports.</summary>
public sealed record ContainerExit(int ExitCode, bool OOMKilled, string? Error = null);
