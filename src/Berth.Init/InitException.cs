namespace Berth.Init;

/// <summary>A setup failure with the exit code the container reports, as Docker does: 127 command not found, 126 not executable.</summary>
public sealed class InitException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
