using Berth.Api;
using Berth.Common;
using Berth.Engine.Commit;
using Berth.Engine.Images;
using Berth.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Api;

/// <summary>
/// <c>POST /commit?container=&amp;repo=&amp;tag=&amp;comment=&amp;author=&amp;pause=&amp;changes=</c>: 201 with the new image's
/// ID. The body is an optional container Config that replaces the container's own (the CLI sends <c>null</c>).
/// </summary>
public sealed class CommitRoutes(ApiServices services)
{
    public void Map(Router router) => router.MapPost("/commit", CommitAsync);

    private async Task CommitAsync(HttpContext context)
    {
        var query = context.Request.Query;
        string container = query["container"] is { Length: > 0 } c ? c : throw new ApiException(400, "container is required");
        ImageReference? tag = null;
        if (query["repo"] is { Length: > 0 } repo)
        {
            tag = ImageReference.Parse(repo);
            if (tag.Digest is not null)
                throw new ApiException(400, "refusing to create a tag with a digest reference");
            if (query["tag"] is { Length: > 0 } t)
                tag = tag.WithTag(t);
        }
        var body = context.Request.ContentLength is null or > 0
            ? await context.Request.ReadJsonAsync(ApiJsonContext.Default.ContainerConfig, context.RequestAborted)
            : null;
        var options = new CommitOptions
        {
            Tag = tag,
            Author = query["author"],
            Comment = query["comment"],
            Changes = query.GetValues("changes").ToList(),
            Config = body is null ? null : ConfigOf(body),
            Pause = query["pause"] is not { Length: > 0 } || QueryValues.Bool(context.Request, "pause"),
        };
        var image = await services.Engine.Commits.CommitAsync(container, options, context.RequestAborted);
        services.Logger.LogInformation("Committed container {Container} as image {Id}", container, image.ShortId);
        context.Response.StatusCode = 201;
        await context.Response.SendJsonAsync(new IdResponse { Id = image.Id }, ApiJsonContext.Default.IdResponse, context.RequestAborted);
    }

    private static ImageExecutionConfig ConfigOf(ContainerConfig config) => new()
    {
        User = config.User,
        ExposedPorts = config.ExposedPorts?.Keys.ToDictionary(k => k, _ => System.Text.Json.JsonDocument.Parse("{}").RootElement),
        Env = config.Env,
        Entrypoint = config.Entrypoint,
        Cmd = config.Cmd,
        Volumes = config.Volumes?.Keys.ToDictionary(k => k, _ => System.Text.Json.JsonDocument.Parse("{}").RootElement),
        WorkingDir = config.WorkingDir,
        Labels = config.Labels,
        StopSignal = config.StopSignal,
        OnBuild = config.OnBuild,
        Shell = config.Shell,
    };
}
