namespace Berth.Cli.Output;

/// <summary>An error the daemon reported inside a JSON message stream (errorDetail).</summary>
public sealed class JsonMessageException : Exception
{
    public JsonMessageException(string message) : base(message)
    {
    }
}
