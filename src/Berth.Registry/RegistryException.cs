namespace Berth.Registry;

/// <summary>A registry operation failed; <see cref="Kind"/> decides the API status.</summary>
public sealed class RegistryException : Exception
{
    public RegistryException(RegistryErrorKind kind, string message, Exception? inner = null) : base(message, inner)
    {
        Kind = kind;
    }

    public RegistryErrorKind Kind { get; }

    public int StatusCode => Kind switch
    {
        RegistryErrorKind.InvalidParameter => 400,
        RegistryErrorKind.Unauthorized => 401,
        RegistryErrorKind.NotFound => 404,
        _ => 500,
    };
}
