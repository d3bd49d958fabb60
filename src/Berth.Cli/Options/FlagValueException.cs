namespace Berth.Cli.Options;

/// <summary>A flag value that does not parse; the message is what docker prints after "invalid argument ... flag: ".</summary>
public sealed class FlagValueException : Exception
{
    public FlagValueException(string message) : base(message)
    {
    }
}
