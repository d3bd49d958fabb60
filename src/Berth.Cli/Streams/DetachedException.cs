namespace Berth.Cli.Streams;

/// <summary>The detach keys were typed (moby/term EscapeError): berth stops copying and leaves the container running.</summary>
public sealed class DetachedException : Exception
{
    public DetachedException() : base("read escape sequence")
    {
    }
}
