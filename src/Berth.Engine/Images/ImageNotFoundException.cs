namespace Berth.Engine.Images;

/// <summary>No image matches a name or id (HTTP 404).</summary>
public sealed class ImageNotFoundException : ImageException
{
    public ImageNotFoundException(string nameOrId)
        : base(ErrorKind.NotFound, $"No such image: {nameOrId}")
    {
        NameOrId = nameOrId;
    }

    public string NameOrId { get; }
}
