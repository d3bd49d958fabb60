using System.Security.Cryptography;
using Berth.Engine.Images;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Build;

/// <summary>
/// `docker build` with the classic builder (moby's builder/dockerfile): the context tar is extracted into a private
/// directory, the Dockerfile parsed (<see cref="DockerfileParser"/>), and every instruction after FROM becomes one
/// image: RUN in a real container of the engine, COPY/ADD through the container's archive API, the others as config
/// changes, each committed as <c>docker commit</c> does and reused from the <see cref="BuildCache"/> when nothing changed.
/// Progress goes to an <see cref="IBuildOutput"/> in the classic builder's words.
/// </summary>
public sealed class ImageBuilder
{
    private readonly string _temp;

    public ImageBuilder(ContainerEngine engine, ILogger logger)
    {
        Engine = engine;
        Logger = logger;
        string root = Path.Combine(engine.Options.DataRoot, "build");
        Cache = new BuildCache(root);
        _temp = Path.Combine(root, "tmp");
        // Contexts of builds a crash interrupted.
        if (Directory.Exists(_temp))
            Directory.Delete(_temp, recursive: true);
        Directory.CreateDirectory(_temp);
    }

    internal ContainerEngine Engine { get; }

    internal ILogger Logger { get; }

    public BuildCache Cache { get; }

    /// <summary>Builds the image; a failure is an <see cref="EngineException"/> (a <see cref="DockerfileException"/> names the line).</summary>
    public async Task<Image> BuildAsync(Stream context, BuildOptions options, IBuildOutput output, CancellationToken ct = default)
    {
        string directory = Path.Combine(_temp, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        using var buildContext = await BuildContext.ExtractAsync(context, directory, ct);
        var dockerfile = DockerfileParser.Parse(buildContext.ReadDockerfile(options.Dockerfile));
        await using var run = new BuildRun(this, buildContext, dockerfile, options, output);
        return await run.ExecuteAsync(ct);
    }
}
