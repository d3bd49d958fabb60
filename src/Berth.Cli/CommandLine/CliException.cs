namespace Berth.Cli.CommandLine;

/// <summary>Ends berth with <see cref="ExitCode"/>, printing the message (when there is one) on stderr.</summary>
public sealed class CliException : Exception
{
    public CliException(int exitCode, string message, Exception? inner = null) : base(message, inner)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }
}
