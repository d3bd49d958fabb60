namespace Berth.Common;

/// <summary>A reference that does not follow Docker's grammar (HTTP 400 in berthd's ApiErrors). The message names the reference.</summary>
public sealed class InvalidImageReferenceException : FormatException
{
    public InvalidImageReferenceException(string reference, string reason)
        : base($"invalid reference format: {reason}: \"{reference}\"")
    {
        Reference = reference;
        Reason = reason;
    }

    public string Reference { get; }

    /// <summary>distribution/reference's words for what is wrong ("repository name must be lowercase").</summary>
    public string Reason { get; }
}
