namespace Berth.Engine.Images;

/// <summary>A reference that does not follow Docker's grammar (HTTP 400). The message names the reference.</summary>
public sealed class InvalidImageReferenceException : ImageException
{
    public InvalidImageReferenceException(string reference, string reason)
        : base(ErrorKind.InvalidParameter, $"invalid reference format: {reason}: \"{reference}\"")
    {
        Reference = reference;
    }

    public string Reference { get; }
}
