namespace Berth.Network;

/// <summary>A refused network operation, with Docker's message and the kind of error it is.</summary>
public sealed class NetworkException(NetworkErrorKind kind, string message) : Exception(message)
{
    public NetworkErrorKind Kind { get; } = kind;
}
