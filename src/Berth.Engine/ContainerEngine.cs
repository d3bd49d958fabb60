using Berth.Engine.Archive;
using Berth.Engine.Cgroups;
using Berth.Engine.Containers;
using Berth.Engine.Containers.Host;
using Berth.Engine.Events;
using Berth.Engine.Images;
using Berth.Engine.Io;
using Microsoft.Extensions.Logging;

namespace Berth.Engine;

/// <summary>
/// The engine: the image store, the containers and the host facilities they share (cgroup driver,
/// launcher, I/O loop), opened over one data root. The daemon owns one; tests open their own.
/// </summary>
public sealed class ContainerEngine : IAsyncDisposable
{
    private EpollLoop _loop = null!;
    private ILogger _logger = null!;

    private ContainerEngine()
    {
    }

    public EngineOptions Options { get; private init; } = null!;

    public ImageStore Images { get; private init; } = null!;

    public ICgroupDriver Cgroups { get; private init; } = null!;

    public ContainerManager Containers { get; private init; } = null!;

    /// <summary>`docker exec` sessions.</summary>
    public ExecManager Execs { get; private init; } = null!;

    /// <summary>docker cp, diff and export: the containers' files.</summary>
    public ContainerFiles Files { get; private init; } = null!;

    /// <summary>docker commit: a container's changes as a new image.</summary>
    public Commit.ContainerCommitter Commits { get; private init; } = null!;

    /// <summary>The event stream (`docker events`); the API layer publishes image events here too.</summary>
    public EngineEvents Events { get; private init; } = null!;

    /// <summary>Background work of the engine (exit handling, auto-remove); tests wait for it to drain.</summary>
    public BackgroundWork Work { get; private init; } = null!;

    /// <summary>Opens the engine on the host: the cgroup driver it detects, berth-launcher, overlayfs.</summary>
    public static Task<ContainerEngine> OpenAsync(EngineOptions options, ILoggerFactory loggerFactory, CancellationToken ct = default) =>
        OpenAsync(options, loggerFactory, seams: null, ct);

    /// <summary>
    /// Opens the engine with <paramref name="seams"/> in place of the host's cgroups and process and mount calls
    /// (a test's fakes); null parts are the host's.
    /// </summary>
    public static async Task<ContainerEngine> OpenAsync(EngineOptions options, ILoggerFactory loggerFactory, EngineSeams? seams, CancellationToken ct = default)
    {
        var logger = loggerFactory.CreateLogger("Berth.Engine");
        Directory.CreateDirectory(options.DataRoot);
        var loop = new EpollLoop();
        try
        {
            loop.CallbackFailed += e => logger.LogError(e, "I/O callback failed");
            var host = seams?.Host ?? new LinuxLifecycleHost(options, loop);
            var images = new ImageStore(Path.Combine(options.DataRoot, "images"), loggerFactory.CreateLogger("Berth.Images"))
            {
                MaxUnpackedSize = options.MaxImageUnpackedSize,
            };
            var cgroups = seams?.Cgroups ?? CgroupDriverDetector.Detect(new CgroupDriverOptions { ParentName = options.CgroupParent }, loggerFactory.CreateLogger("Berth.Cgroups"));
            var events = new EngineEvents();
            var work = new BackgroundWork(loggerFactory.CreateLogger("Berth.Background"));
            var containersLogger = loggerFactory.CreateLogger("Berth.Containers");
            var containers = new ContainerManager(Path.Combine(options.DataRoot, "containers"), images, cgroups, host, loop, events, work, containersLogger);
            await containers.LoadAsync(ct);
            logger.LogInformation("Engine ready: data root {DataRoot}, {Cgroups}", options.DataRoot, cgroups.Description);
            return new ContainerEngine
            {
                Options = options,
                Images = images,
                Cgroups = cgroups,
                Containers = containers,
                Execs = new ExecManager(containers, host, loop, work),
                Files = new ContainerFiles(containers, images, loggerFactory.CreateLogger("Berth.Files")),
                Events = events,
                Commits = new Commit.ContainerCommitter(containers, images, loggerFactory.CreateLogger("Berth.Commit")),
                Work = work,
                _loop = loop,
                _logger = logger,
            };
        }
        catch
        {
            loop.Dispose();
            throw;
        }
    }

    /// <summary>Stops every running container (SIGKILL after a short grace period) and closes the engine.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var container in Containers.List().Where(c => c.State.Running))
        {
            try
            {
                await Containers.StopAsync(container.Id, timeoutSeconds: 1);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _logger.LogError("Stopping {Container} at shutdown failed: {Error}", container.Id[..12], e.Message);
            }
        }
        await Work.DrainAsync();
        _loop.Dispose();
    }
}
