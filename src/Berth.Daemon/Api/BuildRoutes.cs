using System.Text;
using System.Text.Json;
using Berth.Api;
using Berth.Common;
using Berth.Engine;
using Berth.Engine.Build;
using Berth.Http;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Api;

/// <summary>
/// <c>POST /build</c> with the classic builder's protocol (the docker CLI with DOCKER_BUILDKIT=0): the body is the
/// context tar, the answer a JSON message stream of the build's "stream" text, its "aux" image IDs, and a failure as
/// "errorDetail" (before the first message a failure is a plain error response). <c>version=2</c> (BuildKit) is refused.
/// <c>POST /build/prune</c> forgets the step cache.
/// </summary>
public sealed class BuildRoutes(ApiServices services)
{
    private readonly ImageBuilder _builder = new(services.Engine, services.Logger);

    public void Map(Router router)
    {
        router.MapPost("/build", BuildAsync);
        router.MapPost("/build/prune", PruneAsync);
    }

    private async Task BuildAsync(HttpContext context)
    {
        try
        {
            await BuildAsync(context, context.Request.Query);
        }
        finally
        {
            // Whatever of the context the build did not read (refused, or failed early) is drained, so the connection stays usable.
            await context.Request.Body.CopyToAsync(Stream.Null, CancellationToken.None);
        }
    }

    private async Task BuildAsync(HttpContext context, QueryCollection query)
    {
        if (query["version"] is "2")
            throw new ApiException(400, "BuildKit (builder version 2) is not supported by Berth: build with the classic builder (DOCKER_BUILDKIT=0)");
        if (query["remote"] is { Length: > 0 })
            throw new ApiException(501, "Remote build contexts (a URL or git repository) are not supported by Berth: send the context as a tar");
        if (query["platform"] is { Length: > 0 } platform && !IsHostPlatform(platform))
            throw new ApiException(400, $"Berth builds for the host platform only (linux/{HostArchitecture}), not for \"{platform}\"");
        var tags = new List<ImageReference>();
        foreach (string t in query.GetValues("t").Where(t => t.Length > 0))
        {
            ImageReference reference;
            try
            {
                reference = ImageReference.Parse(t);
            }
            catch (InvalidImageReferenceException e)
            {
                throw new ApiException(400, $"invalid reference format: {e.Message}");
            }
            if (reference.Digest is not null)
                throw new ApiException(400, "refusing to create a tag with a digest reference");
            tags.Add(reference);
        }
        var registry = new ImagePuller(services.Registry, services.Engine.Images);
        var options = new BuildOptions
        {
            Tags = tags,
            Dockerfile = query["dockerfile"],
            BuildArgs = JsonMap(query["buildargs"], "buildargs"),
            Labels = JsonMap(query["labels"], "labels").Where(l => l.Value is not null).ToDictionary(l => l.Key, l => l.Value!),
            Target = query["target"],
            NoCache = query.GetBool("nocache"),
            Remove = query["rm"] is not { Length: > 0 } || query.GetBool("rm"),
            ForceRemove = query.GetBool("forcerm"),
            Quiet = query.GetBool("q"),
            Pull = query.GetBool("pull"),
            NetworkMode = query["networkmode"] is { Length: > 0 } network ? network : "default",
            ExtraHosts = query.GetValues("extrahosts").SelectMany(h => h.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList(),
            Memory = Long(query["memory"]),
            MemorySwap = Long(query["memswap"]),
            CpuShares = Long(query["cpushares"]),
            ShmSize = Long(query["shmsize"]),
            PullBaseImage = async (reference, ct) =>
                (await registry.PullAsync(reference, null, null, new Progress<RegistryProgress>(), ct)).Image,
        };
        var output = new BuildStream(context.Response, options.Quiet);
        try
        {
            var image = await _builder.BuildAsync(context.Request.Body, options, output, context.RequestAborted);
            services.Logger.LogInformation("Built image {Id}", image.ShortId);
            await output.FinishAsync(image.Id, context.RequestAborted);
        }
        catch (Exception e) when (context.Response.HasStarted && e is EngineException or RegistryException)
        {
            services.Logger.LogInformation("Build failed: {Error}", e.Message);
            await output.FailAsync(e.Message, e is BuildStepFailedException { Code: > 0 } failed ? failed.Code : 1, context.RequestAborted);
        }
    }

    private async Task PruneAsync(HttpContext context)
    {
        await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
        _builder.Cache.Retain(id => services.Engine.Images.Find(id) is not null);
        int count = _builder.Cache.Clear();
        services.Logger.LogInformation("Build cache pruned: {Count} steps forgotten", count);
        await context.Response.SendJsonAsync(new BuildCachePruneResponse { CachesDeleted = [], SpaceReclaimed = 0 }, ApiJsonContext.Default.BuildCachePruneResponse, context.RequestAborted);
    }

    private static string HostArchitecture => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };

    private static bool IsHostPlatform(string platform) =>
        platform.Split(',').All(p => p.Trim() is var each && (each == "linux" || each == "linux/" + HostArchitecture || each.StartsWith("linux/" + HostArchitecture + "/", StringComparison.Ordinal)));

    private static long Long(string? text) =>
        string.IsNullOrEmpty(text) ? 0 : long.TryParse(text, out long value) ? value : throw new ApiException(400, $"invalid number: {text}");

    /// <summary>A JSON object of strings (buildargs, labels); values may be null.</summary>
    private static Dictionary<string, string?> JsonMap(string? json, string name)
    {
        var map = new Dictionary<string, string?>();
        if (string.IsNullOrEmpty(json))
            return map;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Null)
                return map;
            foreach (var property in document.RootElement.EnumerateObject())
                map[property.Name] = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value.GetString();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new ApiException(400, $"invalid {name}: {e.Message}");
        }
        return map;
    }

    /// <summary>The build's JSON message stream; with <c>q</c> the progress is held back and only the image ID sent (or, on failure, all of it).</summary>
    private sealed class BuildStream(HttpResponse response, bool quiet) : IBuildOutput
    {
        private readonly JsonMessageWriter _writer = new(response);
        private readonly StringBuilder _held = new();

        public Task WriteAsync(string text, CancellationToken ct)
        {
            if (quiet)
            {
                _held.Append(text);
                return Task.CompletedTask;
            }
            return _writer.WriteAsync(new JsonMessage { Stream = text }, ct);
        }

        public Task ImageIdAsync(string imageId, CancellationToken ct) =>
            _writer.WriteAsync(new JsonMessage { Aux = JsonDocument.Parse($"{{\"ID\":\"{imageId}\"}}").RootElement.Clone() }, ct);

        public async Task FinishAsync(string imageId, CancellationToken ct)
        {
            if (quiet)
                await _writer.WriteAsync(new JsonMessage { Stream = imageId + "\n" }, ct);
            await _writer.EndAsync(ct);
        }

        public async Task FailAsync(string message, int code, CancellationToken ct)
        {
            if (quiet && _held.Length > 0)
                await _writer.WriteAsync(new JsonMessage { Stream = _held.ToString() }, ct);
            await _writer.WriteAsync(new JsonMessage { ErrorDetail = new ErrorDetail { Code = code, Message = message }, Error = message }, ct);
        }
    }
}
