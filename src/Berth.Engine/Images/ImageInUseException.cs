namespace Berth.Engine.Images;

/// <summary>A removal that needs force, or that would pull an image from under a container (HTTP 409).</summary>
public sealed class ImageInUseException : ImageException
{
    public ImageInUseException(string message)
        : base(ErrorKind.Conflict, message)
    {
    }
}
