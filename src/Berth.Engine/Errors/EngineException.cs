namespace Berth.Engine;

/// <summary>Base of the engine's expected errors; <see cref="Kind"/> decides the API's status (moby's errdefs).</summary>
public abstract class EngineException : Exception
{
    protected EngineException(ErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    public ErrorKind Kind { get; }
}
