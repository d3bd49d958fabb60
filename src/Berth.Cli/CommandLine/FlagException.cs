namespace Berth.Cli.CommandLine;

/// <summary>A flag error, printed with the verb's usage and "Run 'berth X --help'"; exit code 125.</summary>
public sealed class FlagException : Exception
{
    public FlagException(string message) : base(message)
    {
    }
}
