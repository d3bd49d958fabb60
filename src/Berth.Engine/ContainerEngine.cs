using Berth.Engine.Archive;
using Berth.Engine.Cgroups;
using Berth.Engine.Containers;
using Berth.Engine.Events;
using Berth.Engine.Images;
using Berth.Engine.Io;
using Berth.Engine.Processes;
using Berth.Engine.Volumes;
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

    /// <summary>Volumes of the local driver (`docker volume`).</summary>
    public VolumeStore Volumes { get; private init; } = null!;

    /// <summary>`docker exec` sessions.</summary>
    public ExecManager Execs { get; private init; } = null!;

    /// <summary>docker cp, diff and export: the containers' files.</summary>
    public ContainerFiles Files { get; private init; } = null!;

    /// <summary>The event stream (`docker events`); the API layer publishes image events here too.</summary>
    public EngineEvents Events { get; private init; } = null!;

    public static async Task<ContainerEngine> OpenAsync(EngineOptions options, ILoggerFactory loggerFactory, CancellationToken ct = default)
    {
        var logger = loggerFactory.CreateLogger("Berth.Engine");
        foreach (string helper in new[] { options.LauncherPath, options.InitPath, options.ReaperPath })
            if (!File.Exists(helper))
                throw new FileNotFoundException($"helper program `{helper}` is missing (build it with `make`, or set BERTH_HELPER_DIR)", helper);

        Directory.CreateDirectory(options.DataRoot);
        var images = new ImageStore(Path.Combine(options.DataRoot, "images"), loggerFactory.CreateLogger("Berth.Images"));
        var cgroups = CgroupDriverDetector.Detect(new CgroupDriverOptions { ParentName = options.CgroupParent }, loggerFactory.CreateLogger("Berth.Cgroups"));
        var loop = new EpollLoop();
        loop.CallbackFailed += e => logger.LogError(e, "I/O callback failed");
        var launcher = new ContainerProcessLauncher(options.LauncherPath, options.InitPath, options.ReaperPath);
        var events = new EngineEvents();
        var volumes = new VolumeStore(Path.Combine(options.DataRoot, "volumes"), events, loggerFactory.CreateLogger("Berth.Volumes"));
        var mounts = new ContainerMounts(volumes, events, loggerFactory.CreateLogger("Berth.Volumes"));
        var containers = new ContainerManager(Path.Combine(options.DataRoot, "containers"), images, cgroups, launcher, loop, events, mounts, loggerFactory.CreateLogger("Berth.Containers"))
        {
            DefaultLogConfig = options.DefaultLogConfig,
        };
        volumes.UsersOf = name => containers.List()
            .Where(c => c.Record.Mounts.Any(m => m.Type == MountPoint.VolumeType && m.Name == name))
            .Select(c => c.Id)
            .ToList();
        volumes.Load();
        await containers.LoadAsync(ct);
        logger.LogInformation("Engine ready: data root {DataRoot}, {Cgroups}", options.DataRoot, cgroups.Description);
        return new ContainerEngine
        {
            Options = options,
            Images = images,
            Cgroups = cgroups,
            Containers = containers,
            Volumes = volumes,
            Execs = new ExecManager(containers, launcher, loop),
            Files = new ContainerFiles(containers, images, loggerFactory.CreateLogger("Berth.Files")),
            Events = events,
            _loop = loop,
            _logger = logger,
        };
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
        _loop.Dispose();
    }
}
