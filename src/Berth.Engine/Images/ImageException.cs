namespace Berth.Engine.Images;

/// <summary>Base of the image store's errors; the API maps each subclass to an HTTP status.</summary>
public abstract class ImageException : Exception
{
    protected ImageException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
