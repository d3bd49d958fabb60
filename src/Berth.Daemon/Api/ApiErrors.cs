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
        InvalidFilterException => (400, e.Message, true),
        _ => (500, e.Message, false),
    };

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidParameter => 400,
        ErrorKind.NotFound => 404,
        ErrorKind.Conflict => 409,
        ErrorKind.NotImplemented => 501,
        _ => 500,
    };
}
