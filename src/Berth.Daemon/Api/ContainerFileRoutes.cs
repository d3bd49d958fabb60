using Berth.Api;
using Berth.Engine.Archive;
using Berth.Http;

namespace Berth.Daemon.Api;

/// <summary>
/// A container's files: `docker cp` (HEAD, GET and PUT /archive), `docker diff` (/changes) and `docker export`.
/// Errors come before any byte of a tar: a missing path is 404, a bad path or archive 400.
/// </summary>
public sealed class ContainerFileRoutes(ApiServices services)
{
    private const string TarContentType = "application/x-tar";
    private const int TarBatchSize = 64 * 1024;

    private ContainerFiles Files => services.Engine.Files;

    public void Map(Router router)
    {
        router.MapHead("/containers/{id}/archive", StatAsync);
        router.MapGet("/containers/{id}/archive", GetArchiveAsync);
        router.MapPut("/containers/{id}/archive", PutArchiveAsync);
        router.MapGet("/containers/{id}/changes", ChangesAsync);
        router.MapGet("/containers/{id}/export", ExportAsync);
    }

    /// <summary>The path's stat in the X-Docker-Container-Path-Stat header, no body (the CLI's first step of docker cp).</summary>
    private async Task StatAsync(HttpContext context)
    {
        var stat = await Files.StatPathAsync(context.RouteValue("id"), RequiredPath(context), context.RequestAborted);
        context.Response.Headers.Set(PathStat.HeaderName, stat.ToHeaderValue());
        context.Response.StatusCode = 200;
    }

    /// <summary>The stat header, then the tar of the path (a directory with its tree).</summary>
    private async Task GetArchiveAsync(HttpContext context)
    {
        await using var archive = await Files.OpenArchiveAsync(context.RouteValue("id"), RequiredPath(context), context.RequestAborted);
        context.Response.Headers.Set(PathStat.HeaderName, archive.Stat.ToHeaderValue());
        context.Response.Headers.Set("Content-Type", TarContentType);
        var body = new BufferedStream(context.Response.Body, TarBatchSize);
        await archive.WriteToAsync(body, context.RequestAborted);
        await body.FlushAsync(context.RequestAborted);
    }

    /// <summary>Extracts the tar body into the directory at path: 200; 404 when it is missing, 400 when it is not a directory.</summary>
    private async Task PutArchiveAsync(HttpContext context)
    {
        bool noOverwriteDirNonDir = QueryValues.Bool(context.Request, "noOverwriteDirNonDir");
        await Files.PutArchiveAsync(context.RouteValue("id"), RequiredPath(context), context.Request.Body, noOverwriteDirNonDir, context.RequestAborted);
        context.Response.StatusCode = 200;
    }

    /// <summary>[{Path, Kind}] sorted by path; null when nothing changed, as moby sends its empty slice.</summary>
    private async Task ChangesAsync(HttpContext context)
    {
        var changes = await Files.ChangesAsync(context.RouteValue("id"), context.RequestAborted);
        List<FilesystemChange>? body = changes.Count == 0 ? null : changes.Select(c => new FilesystemChange { Path = c.Path, Kind = (int)c.Kind }).ToList();
        await context.Response.SendJsonAsync(body!, ApiJsonContext.Default.ListFilesystemChange, context.RequestAborted);
    }

    /// <summary>The container's root filesystem as a tar stream.</summary>
    private async Task ExportAsync(HttpContext context)
    {
        context.Response.Headers.Set("Content-Type", TarContentType);
        // Batched: the response sends every write as a chunk. Nothing goes out before the first batch, so an
        // error found at the start (no such container, being removed) still gets its status.
        var body = new BufferedStream(context.Response.Body, TarBatchSize);
        await Files.ExportAsync(context.RouteValue("id"), body, context.RequestAborted);
        await body.FlushAsync(context.RequestAborted);
    }

    /// <summary>The path parameter; the engine refuses an empty one (400).</summary>
    private static string RequiredPath(HttpContext context) => context.Request.Query["path"] ?? "";
}
