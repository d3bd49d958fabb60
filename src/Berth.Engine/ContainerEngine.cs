using Berth.Engine.Archive;
using Berth.Engine.Cgroups;
using Berth.Engine.Containers;
using Berth.Engine.Containers.Host;
using Berth.Engine.Events;
using Berth.Engine.Images;
using Berth.Engine.Io;
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
    private Containers.Host.ILifecycleHost _host = null!;
    private DataRootLock? _lock;
    private Containers.Health.HealthMonitor _health = null!;

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

    /// <summary>docker commit: a container's changes as a new image.</summary>
    public Commit.ContainerCommitter Commits { get; private init; } = null!;

    /// <summary>The event stream (`docker events`) of the containers, images and volumes.</summary>
    public EngineEvents Events { get; private init; } = null!;

    /// <summary>Background work of the engine (exit handling, auto-remove); tests wait for it to drain.</summary>
    public BackgroundWork Work { get; private init; } = null!;

    /// <summary>
    /// Opens the engine on the host: the cgroup driver it detects, berth-launcher, overlayfs. One engine per data root:
    /// <see cref="DataRootInUseException"/> while another process (or engine) holds it.
    /// </summary>
    public static Task<ContainerEngine> OpenAsync(EngineOptions options, ILoggerFactory loggerFactory, CancellationToken ct = default) =>
        OpenAsync(options, loggerFactory, seams: null, ct);

    /// <summary>
    /// Opens the engine with <paramref name="seams"/> in place of the host's cgroups and process and mount calls
    /// (a test's fakes); null parts are the host's.
    /// </summary>
    public static async Task<ContainerEngine> OpenAsync(EngineOptions options, ILoggerFactory loggerFactory, EngineSeams? seams, CancellationToken ct = default)
    {
        var logger = loggerFactory.CreateLogger("Berth.Engine");
        var dataRootLock = options.LockDataRoot ? DataRootLock.Acquire(options.DataRoot) : null;
        EpollLoop? loop = null;
        try
        {
            loop = new EpollLoop();
            loop.CallbackFailed += e => logger.LogError(e, "I/O callback failed");
            var host = seams?.Host ?? new LinuxLifecycleHost(options, loop);
            var events = new EngineEvents();
            var images = new ImageStore(Path.Combine(options.DataRoot, "images"), loggerFactory.CreateLogger("Berth.Images"))
            {
                MaxUnpackedSize = options.MaxImageUnpackedSize,
                Events = events,
            };
            var cgroups = seams?.Cgroups ?? CgroupDriverDetector.Detect(new CgroupDriverOptions { ParentName = options.CgroupParent }, loggerFactory.CreateLogger("Berth.Cgroups"));
            var work = new BackgroundWork(loggerFactory.CreateLogger("Berth.Background"));
            var containersLogger = loggerFactory.CreateLogger("Berth.Containers");
            var volumesLogger = loggerFactory.CreateLogger("Berth.Volumes");
            var volumes = new VolumeStore(Path.Combine(options.DataRoot, "volumes"), events, volumesLogger);
            var mounts = new ContainerMounts(volumes, events, volumesLogger);
            var containers = new ContainerManager(Path.Combine(options.DataRoot, "containers"), images, cgroups, host, loop, events, work,
                mounts, options.DefaultLogConfig, TimeProvider.System, containersLogger);
            volumes.UsersOf = name => containers.List()
                .Where(c => c.Record.Mounts.Any(m => m.Type == MountPoint.VolumeType && m.Name == name))
                .Select(c => c.Id)
                .ToList();
            volumes.Load();
            await containers.LoadAsync(ct);
            var execs = new ExecManager(containers, host, loop, work);
            var health = new Containers.Health.HealthMonitor(containers.Hooks, execs, (c, action) => containers.Publish(c, action), TimeProvider.System, work, containersLogger);
            foreach (var adopted in containers.List().Where(c => c.State.Status == Berth.Engine.Containers.ContainerStatus.Running && c.Runtime is not null))
                health.Start(adopted); // live restore: probes go on for the containers the recovery adopted
            logger.LogInformation("Engine ready: data root {DataRoot}, {Cgroups}", options.DataRoot, cgroups.Description);
            return new ContainerEngine
            {
                Options = options,
                Images = images,
                Cgroups = cgroups,
                Containers = containers,
                Volumes = volumes,
                Execs = execs,
                _health = health,
                Files = new ContainerFiles(containers, images, loggerFactory.CreateLogger("Berth.Files")),
                Events = events,
                Commits = new Commit.ContainerCommitter(containers, images, loggerFactory.CreateLogger("Berth.Commit")),
                Work = work,
                _loop = loop,
                _host = host,
                _logger = logger,
                _lock = dataRootLock,
            };
        }
        catch
        {
            loop?.Dispose();
            dataRootLock?.Dispose();
            throw;
        }
    }

    private async Task StopAtShutdownAsync(Container container)
    {
        try
        {
            await Containers.StopAsync(container.Id, timeoutSeconds: (int)Math.Ceiling(Options.ShutdownTimeout.TotalSeconds));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogError("Stopping {Container} at shutdown failed: {Error}", container.Id[..12], e.Message);
        }
    }

    /// <summary>
    /// Stops every running container (each gets <see cref="EngineOptions.ShutdownTimeout"/>, all at once, then SIGKILL),
    /// removes the cgroup parent when nothing else is left in it and closes the engine, releasing the data root.
    /// </summary>
    /// <remarks>
    /// With live restore the containers berth-keeper keeps are left running (the next engine adopts them): only the
    /// watching of their exits ends here. A container that is not kept (on a bridge network) is stopped as without it.
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        Containers.BeginShutdown(); // no restart policy acts on the stops below, which are not the user's
        _health.StopAll();
        var running = Containers.List().Where(c => c.State.Running).ToList();
        var left = running.Where(c => c.Runtime?.IsKept == true).ToList();
        Containers.LeaveRunning(left);
        await Task.WhenAll(running.Except(left).Select(StopAtShutdownAsync));
        await Work.DrainAsync();
        foreach (var step in Containers.Pipeline.Steps.OfType<IDisposable>())
            step.Dispose(); // what a step made ahead of the next start (the network step's ready namespaces)
        _loop.Dispose();
        if (left.Count > 0)
            _logger.LogInformation("Left {Count} containers running for the next berthd (live restore)", left.Count);
        else if (!Cgroups.RemoveParentIfEmpty())
            _logger.LogWarning("The cgroup parent still holds container cgroups; kept it");
        (_host as IDisposable)?.Dispose();
        _lock?.Dispose();
    }
}
