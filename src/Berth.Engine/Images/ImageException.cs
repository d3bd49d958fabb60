namespace Berth.Engine.Images;

/// <summary>Base of the image store's errors; the API maps each subclass to an HTTP status.</summary>
public abstract class ImageException : EngineException
{
    protected ImageException(ErrorKind kind, string message, Exception? inner = null)
        : base(kind, message, inner)
    {
    }
}
