namespace Berth.Compose;

/// <summary>A compose file that cannot be used: the message names the file and line when the problem has one.</summary>
public sealed class ComposeFileException : Exception
{
    public ComposeFileException(string message) : base(message)
    {
    }

    public ComposeFileException(ComposeNode at, string message) : base($"{at.Where}: {message}")
    {
    }
}
