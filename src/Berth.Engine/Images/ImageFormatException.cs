namespace Berth.Engine.Images;

/// <summary>A bad archive, manifest, config or layer entry (HTTP 400). The message names the offending entry or blob.</summary>
public sealed class ImageFormatException : ImageException
{
    public ImageFormatException(string message, Exception? inner = null)
        : base(ErrorKind.InvalidParameter, message, inner)
    {
    }
}
