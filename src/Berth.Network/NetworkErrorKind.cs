namespace Berth.Network;

/// <summary>What went wrong, mapped once to an HTTP status by the API (400, 404, 409, 403).</summary>
public enum NetworkErrorKind
{
    InvalidArgument,
    NotFound,
    Conflict,
    Forbidden,
}
