namespace Berth.Engine.Processes;

/// <summary>
/// The container's command could not be started. <see cref="ExitCode"/> follows Docker: 127 when the
/// command was not found, 126 when it could not be executed, 128 for other setup failures. As moby, a missing or
/// unexecutable command is an invalid parameter (the CLI maps the message to its own exit code), the rest a system error.
/// </summary>
public sealed class ContainerStartException(int exitCode, string message)
    : EngineException(exitCode is 126 or 127 ? ErrorKind.InvalidParameter : ErrorKind.System, message)
{
    public int ExitCode { get; } = exitCode;
}
