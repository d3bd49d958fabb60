namespace Berth.Cli.Files;

/// <summary>A docker cp path or archive error, printed as it is (exit 1).</summary>
public sealed class CopyException : Exception
{
    public CopyException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
