namespace Berth.Engine.Processes;

/// <summary>
/// The container's command could not be started. <see cref="ExitCode"/> follows Docker: 127 when the
/// command was not found, 126 when it could not be executed, 128 for other setup failures.
/// </summary>
public sealed class ContainerStartException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
