using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Api;
using Berth.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Api;

/// <summary>
/// The Engine API: every route, the headers every response carries (Api-Version, Server, Ostype,
/// Docker-Experimental), the API version check, and the mapping of errors to Docker's JSON errors.
/// </summary>
public sealed partial class ApiHandler
{
    private static readonly Version MinimumVersion = Version.Parse(ApiVersions.Minimum);
    private static readonly Version CurrentVersion = Version.Parse(ApiVersions.Current);

    private readonly Router _router = new();
    private readonly ILogger _logger;

    public ApiHandler(ApiServices services)
    {
        _logger = services.Logger;
        new SystemRoutes(services).Map(_router);
        new ContainerRoutes(services).Map(_router);
        new ContainerStreamRoutes(services).Map(_router);
        new ImageArchiveRoutes(services).Map(_router);
        new ImageMaintenanceRoutes(services).Map(_router);
        new ImageRoutes(services).Map(_router);
        new CommitRoutes(services).Map(_router);
        new BuildRoutes(services).Map(_router);
        new DiskUsageRoutes(services).Map(_router);
        new RegistryRoutes(services).Map(_router);
        new ExecRoutes(services).Map(_router);
        new ContainerFileRoutes(services).Map(_router);
        new ContainerStatsRoutes(services).Map(_router);
        new EventRoutes(services).Map(_router);
        new VolumeRoutes(services).Map(_router);
        if (services.Networks is not null)
            new NetworkRoutes(services, services.Networks).Map(_router);
        new UnsupportedRoutes().Map(_router);
    }

    public async Task HandleAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.Set("Api-Version", ApiVersions.Current);
        headers.Set("Docker-Experimental", "false");
        headers.Set("Ostype", "linux");
        headers.Set("Server", DaemonVersion.ServerHeader);
        _logger.LogDebug("{Method} {Target}", context.Request.Method, context.Request.Target);
        try
        {
            CheckVersion(context.Request.RawPath);
            await _router.HandleAsync(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !IsClientGone(context, e))
        {
            var (status, message, expected) = ApiErrors.Map(e);
            if (!expected)
                _logger.LogError(e, "{Method} {Target}: {Status} unexpected {Type}", context.Request.Method, context.Request.Target, status, e.GetType().Name);
            else if (status >= 500 && status != 501)
                _logger.LogError("{Method} {Target}: {Status} {Message}", context.Request.Method, context.Request.Target, status, message);
            else
                _logger.LogDebug("{Method} {Target}: {Status} {Message}", context.Request.Method, context.Request.Target, status, message);
            await context.Response.SendErrorAsync(status, message, context.RequestAborted);
        }
    }

    private static bool IsClientGone(HttpContext context, Exception e) =>
        e is OperationCanceledException && context.RequestAborted.IsCancellationRequested;

    /// <summary>moby's version middleware: versions outside [minimum, current] are refused.</summary>
    private static void CheckVersion(string rawPath)
    {
        var match = VersionPrefix().Match(rawPath);
        if (!match.Success)
            return;
        var version = new Version(
            int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
            match.Groups[2].Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : 0);
        string text = match.Groups[0].Value[2..].TrimEnd('/');
        if (version < MinimumVersion)
            throw new ApiException(400, $"client version {text} is too old. Minimum supported API version is {ApiVersions.Minimum}, please upgrade your client to a newer version");
        if (version > CurrentVersion)
            throw new ApiException(400, $"client version {text} is too new. Maximum supported API version is {ApiVersions.Current}");
    }

    [GeneratedRegex(@"^/v([0-9]{1,4})(?:\.([0-9]{1,4}))?/")]
    private static partial Regex VersionPrefix();
}
