using Berth.Api;
using Berth.Engine;
using Berth.Http;

namespace Berth.Daemon.Api;

/// <summary>The one place where errors become HTTP statuses, as moby's errdefs do: by the kind of the engine's error.</summary>
public static class ApiErrors
{
    /// <summary>The status and message of a failed request; <c>Expected</c> is false for a bug (logged with its stack).</summary>
    public static (int Status, string Message, bool Expected) Map(Exception e) => e switch
    {
        ApiException api => (api.StatusCode, api.Message, true),
        EngineException engine => (StatusOf(engine.Kind), e.Message, true),
        // A registry's answer keeps its status (401 unauthorized, 404 unknown manifest), as dockerd passes it on.
        Berth.Registry.RegistryException registry => (registry.StatusCode, registry.Message, true),
        InvalidFilterException => (400, e.Message, true),
        Berth.Common.InvalidImageReferenceException => (400, e.Message, true),
        Berth.Network.NetworkException network => (StatusOf(network.Kind), e.Message, true),
        _ => (500, e.Message, false),
    };

    /// <summary>moby's errdefs for libnetwork's errors: invalid parameter, not found, conflict, forbidden.</summary>
    public static int StatusOf(Berth.Network.NetworkErrorKind kind) => kind switch
    {
        Berth.Network.NetworkErrorKind.InvalidArgument => 400,
        Berth.Network.NetworkErrorKind.NotFound => 404,
        Berth.Network.NetworkErrorKind.Conflict => 409,
        _ => 403,
    };

    /// <summary>Runs a network call, its <see cref="Berth.Network.NetworkException"/> turned into Docker's status.</summary>
    public static T Run<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Berth.Network.NetworkException e)
        {
            throw new ApiException(StatusOf(e.Kind), e.Message);
        }
    }

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidParameter => 400,
        ErrorKind.NotFound => 404,
        ErrorKind.Conflict => 409,
        ErrorKind.NotImplemented => 501,
        _ => 500,
    };
}
