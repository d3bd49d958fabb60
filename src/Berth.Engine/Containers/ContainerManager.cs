using System.Security.Cryptography;
using Berth.Engine.Cgroups;
using Berth.Engine.Containers.Health;
using Berth.Engine.Containers.Host;
using Berth.Engine.Containers.Restart;
using Berth.Engine.Containers.Start;
using Berth.Engine.Events;
using Berth.Engine.Images;
using Berth.Engine.Io;
using Berth.Engine.Logs;
using Berth.Engine.Security;
using Berth.Engine.Volumes;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

/// <summary>
/// The engine's containers: what the API routes call. It finds containers (<see cref="ContainerIndex"/>), creates
/// them, and hands lifecycle operations to <see cref="ContainerLifecycle"/>; a start runs the
/// <see cref="StartPipeline"/> (rootfs, cgroup, volumes, spec, io, launch, exec), the <see cref="ContainerMonitor"/> ends each run,
/// and <see cref="ContainerRecovery"/> rebuilds everything at load.
/// </summary>
public sealed class ContainerManager
{
    private readonly ImageStore _images;
    private readonly ILifecycleHost _host;
    private readonly ContainerMounts _mounts;
    private readonly LogConfig _defaultLogConfig;
    private readonly ContainerStore _store;
    private readonly ContainerIndex _index = new();
    private readonly ContainerEvents _events;
    private readonly ContainerLifecycle _lifecycle;
    private readonly ContainerRecovery _recovery;
    private readonly BackgroundWork _work;
    private readonly RestartSupervisor _restarts;
    private readonly ICgroupDriver _cgroups;
    private readonly ContainerMonitor _monitor;
    private readonly ILogger _logger;

    /// <param name="defaultLogConfig">The daemon's `--log-driver` and `--log-opt`, which a container's own log config is merged over at create.</param>
    internal ContainerManager(string root, ImageStore images, ICgroupDriver cgroups, ILifecycleHost host, EpollLoop loop, EngineEvents events, BackgroundWork work,
        ContainerMounts mounts, LogConfig defaultLogConfig, TimeProvider time, ILogger logger)
    {
        _images = images;
        _host = host;
        _mounts = mounts;
        _defaultLogConfig = defaultLogConfig;
        _work = work;
        _store = new ContainerStore(root, logger);
        _logger = logger;
        _events = new ContainerEvents(events);
        Pipeline = new StartPipeline(logger)
            .Add(new RootfsStep(images, host))
            .Add(new CgroupStep(cgroups))
            .Add(new VolumesStep(mounts))
            .Add(new SpecStep(cgroups, host))
            .Add(new IoStep(loop, defaultLogConfig, work, logger))
            .Add(new LaunchStep(host))
            .Add(new ExecStep(work, logger));
        _cgroups = cgroups;
        _restarts = new RestartSupervisor(time, work, logger);
        var monitor = _monitor = new ContainerMonitor(_store, Pipeline, _events, work, _restarts, Hooks, logger);
        _lifecycle = new ContainerLifecycle(images, cgroups, host, _store, _index, Pipeline, monitor, mounts, _events, _restarts, Hooks, logger);
        monitor.AutoRemove = _lifecycle.AutoRemoveAsync;
        _restarts.Restart = _lifecycle.RestartByPolicyAsync;
        var adoption = new ContainerAdoption(images, cgroups, loop, defaultLogConfig, work, monitor, _restarts, logger);
        _recovery = new ContainerRecovery(_store, _index, cgroups, host, logger) { Adopt = adoption.Adopt };
    }

    /// <summary>Where the healthcheck monitor learns of each run's start and end.</summary>
    internal ContainerRunHooks Hooks { get; } = new();

    /// <summary>The steps of a start; a feature adds its own with <see cref="StartPipeline.Insert"/> before the engine serves.</summary>
    public StartPipeline Pipeline { get; }

    /// <summary>Loads the containers on disk and repairs what a crash left (<see cref="ContainerRecovery"/>).</summary>
    public Task LoadAsync(CancellationToken ct = default) => _recovery.LoadAsync(ct);

    /// <summary>Publishes a container event with Docker's attributes: the container's labels, name and image, plus <paramref name="extra"/>.</summary>
    internal void Publish(Container container, string action, params (string Key, string Value)[] extra) =>
        _events.Publish(container, action, extra);

    /// <summary>Raised after a container was removed (exec sessions and other per-container state go with it).</summary>
    internal event Action<Container>? Removed
    {
        add => _lifecycle.Removed += value;
        remove => _lifecycle.Removed -= value;
    }

    public IReadOnlyList<Container> List() => _index.List();

    /// <summary>Finds a container as Docker does: full id, then name, then unique id prefix.</summary>
    public Container Get(string idOrName) => _index.Get(idOrName);

    public bool IsImageInUse(string imageId) => _index.Any(c => c.Record.ImageId == imageId);

    public Container Create(string? name, ContainerConfig config, HostConfig hostConfig)
    {
        var image = _images.Find(config.Image) ?? throw new ImageNotFoundException(config.Image);
        hostConfig.LogConfig = LogSettings.Merge(hostConfig.LogConfig, _defaultLogConfig);
        LogSettings.Parse(hostConfig.LogConfig);
        Validate(hostConfig);
        var execution = image.Config.Config;
        var healthcheck = HealthConfig.Merge(config.Healthcheck, HealthConfig.FromImage(execution?.Healthcheck));
        healthcheck?.Validate();
        var defaults = new ImageDefaults(execution?.Env, execution?.Entrypoint, execution?.Cmd, execution?.WorkingDir, execution?.User, execution?.StopSignal);
        var merged = ContainerSpecBuilder.Merge(config, defaults, execution?.Labels, execution?.ExposedPorts?.Keys, execution?.Volumes?.Keys);
        var command = ContainerSpecBuilder.ResolveCommand(merged);
        if (merged.StopSignal is { Length: > 0 } stopSignal)
            Signals.Parse(stopSignal);
        merged.Healthcheck = healthcheck;

        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var record = new ContainerRecord
        {
            Id = id,
            Created = DateTime.UtcNow,
            ImageId = image.Id,
            Config = merged,
            HostConfig = hostConfig,
            Path = command.Path,
            Args = [.. command.Args],
        };
        var container = _index.Reserve(name, record, r => new Container(r, new ContainerState(), _store.DirectoryOf(id), _store.LogPathOf(r)));
        try
        {
            record.Mounts = _mounts.Resolve(hostConfig, merged.Volumes, Get);
            _store.Create(record, container.State);
            container.Rootfs.Create();
            if (ContainerMounts.NeedsCopyUp(record))
                CopyUp(container, image);
        }
        catch
        {
            _index.Forget(container);
            _mounts.RemoveAnonymous(container);
            _store.Delete(id);
            throw;
        }
        Publish(container, "create");
        return container;
    }

    /// <summary>The container's overlay directories (inspect's GraphDriver.Data).</summary>
    public Dictionary<string, string> StorageLayout(Container container) =>
        container.Rootfs.Describe(_images.Find(container.Record.ImageId) is { } image ? _images.GetLayerDirectories(image) : null);

    /// <summary>Fills the container's empty volumes with the image's files at their destinations (moby does it at create).</summary>
    private void CopyUp(Container container, Image image)
    {
        _host.MountRootfs(container.Rootfs, _images.GetLayerDirectories(image));
        try
        {
            _mounts.CopyUp(container, container.Rootfs.MergedDirectory);
        }
        finally
        {
            _host.UnmountRootfs(container.Rootfs);
        }
    }

    private static void Validate(HostConfig hostConfig)
    {
        CgroupStep.LimitsOf(hostConfig).Validate();
        RestartPolicy.Validate(hostConfig.RestartPolicy, hostConfig.AutoRemove);
        Capabilities.Resolve(hostConfig.CapAdd, hostConfig.CapDrop, hostConfig.Privileged);
    }

    /// <summary>Starts the container; returns false when it was already running (HTTP 304).</summary>
    public Task<bool> StartAsync(string idOrName, CancellationToken ct = default) => _lifecycle.StartAsync(Get(idOrName), ct);

    /// <summary>Sends the stop signal, then SIGKILL after the timeout; returns false when the container was not running (HTTP 304).</summary>
    public Task<bool> StopAsync(string idOrName, int? timeoutSeconds = null, string? signal = null, CancellationToken ct = default) =>
        _lifecycle.StopAsync(Get(idOrName), timeoutSeconds, signal, ct);

    /// <summary>Stops the container if it runs (with <paramref name="signal"/>, else its stop signal), then starts it (`docker restart`).</summary>
    public async Task RestartAsync(string idOrName, int? timeoutSeconds = null, string? signal = null, CancellationToken ct = default)
    {
        var container = Get(idOrName);
        await _lifecycle.StopAsync(container, timeoutSeconds, signal, ct);
        await _lifecycle.StartAsync(container, ct);
        Publish(container, "restart");
    }

    public void Kill(string idOrName, string? signal = null) => _lifecycle.Kill(Get(idOrName), signal);

    /// <summary>Freezes every process of the container (`docker pause`).</summary>
    public Task PauseAsync(string idOrName, CancellationToken ct = default) => _lifecycle.PauseAsync(Get(idOrName), ct);

    public Task UnpauseAsync(string idOrName, CancellationToken ct = default) => _lifecycle.UnpauseAsync(Get(idOrName), ct);

    /// <param name="removeVolumes">`rm -v`: also remove the container's anonymous volumes (never named ones).</param>
    /// <summary>
    /// `container prune`: removes every container that is neither running nor being removed and that
    /// <paramref name="match"/> accepts; one that starts or goes meanwhile is skipped. Returns the IDs removed and the
    /// bytes their writable layers held.
    /// </summary>
    public async Task<(List<string> Removed, long Reclaimed)> PruneAsync(Func<Container, bool> match, CancellationToken ct = default)
    {
        var removed = new List<string>();
        long reclaimed = 0;
        foreach (var container in List())
        {
            var state = container.State;
            if (state.Running || state.Status == ContainerStatus.Removing || !match(container))
                continue;
            long size = container.WritableLayerSize();
            try
            {
                await RemoveAsync(container.Id, force: false, ct);
            }
            catch (Exception e) when (e is ContainerConflictException or ContainerNotFoundException)
            {
                continue;
            }
            removed.Add(container.Id);
            reclaimed += size;
        }
        return (removed, reclaimed);
    }

    public Task RemoveAsync(string idOrName, bool force, CancellationToken ct = default, bool removeVolumes = false) =>
        _lifecycle.RemoveAsync(Get(idOrName), force, removeVolumes, ct);

    public Task<ContainerExit> WaitAsync(string idOrName, WaitCondition condition, CancellationToken ct = default) =>
        _lifecycle.WaitAsync(Get(idOrName), condition, ct);

    /// <summary>
    /// Changes a container's host config and saves its record (`network connect` and `disconnect`, which a created or
    /// stopped container keeps for its next start, as dockerd does).
    /// </summary>
    public void UpdateHostConfig(string idOrName, Action<HostConfig> change)
    {
        var container = Get(idOrName);
        lock (container.Record)
        {
            change(container.Record.HostConfig);
            _store.SaveRecord(container.Record);
        }
    }

    /// <summary>
    /// `docker update`: changes the resource limits and the restart policy of a container, running or not. The limits of a
    /// running container are written to its cgroup at once; the record is saved atomically after that, so a limit the
    /// kernel refused is not recorded. Returns Docker's warnings (none so far).
    /// </summary>
    public List<string> Update(string idOrName, ContainerUpdate update)
    {
        var container = Get(idOrName);
        lock (container.Record)
        {
            var host = container.Record.HostConfig;
            if (update.RestartPolicy is { Name.Length: > 0 } policy && !policy.IsNone && host.AutoRemove)
                throw new InvalidParameterException("Restart policy cannot be updated because AutoRemove is enabled for the container");
            if (container.State.Status is ContainerStatus.Removing or ContainerStatus.Dead)
                throw new ContainerConflictException($"Container {container.Id} is marked for removal and cannot be \"update\"");
            if (update.Memory is { } memory && update.MemorySwap is null && host.MemorySwap > 0 && memory > host.MemorySwap)
                throw new InvalidParameterException("Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");
            var updated = update.ApplyTo(host);
            var limits = CgroupStep.LimitsOf(updated);
            limits.Validate();
            RestartPolicy.Validate(updated.RestartPolicy, updated.AutoRemove);
            if (container.Runtime is { } runtime && update.ChangesResources)
                _cgroups.Update(runtime.Cgroup, update.PidsLimit is <= 0 ? limits with { PidsLimit = -1 } : limits);
            (host.Memory, host.MemorySwap, host.NanoCpus, host.CpuShares, host.PidsLimit, host.RestartPolicy) =
                (updated.Memory, updated.MemorySwap, updated.NanoCpus, updated.CpuShares, updated.PidsLimit, updated.RestartPolicy);
            _store.SaveRecord(container.Record);
            if (update.RestartPolicy is { Name.Length: > 0 })
                container.Restarts?.SetPolicy(host.RestartPolicy ?? new RestartPolicy());
        }
        Publish(container, "update");
        return [];
    }

    /// <summary>
    /// Starts, in the background, the containers whose restart policy brings them back when the engine starts (moby's
    /// restore: `always`, `unless-stopped` unless the user stopped it, `on-failure` after a failure within its count),
    /// among those that ran before and are not running now. The daemon calls it once networking is ready.
    /// </summary>
    public void StartByRestartPolicy()
    {
        foreach (var container in List())
        {
            var state = container.State;
            if (state.Running || state.Status != ContainerStatus.Exited || !RestartBackoff.StartsAtBoot(container.Record.HostConfig.RestartPolicy, state))
                continue;
            _work.Run($"start of {container.Id[..12]} by its restart policy", async () =>
            {
                try
                {
                    await _lifecycle.StartAsync(container, CancellationToken.None);
                }
                catch (Exception e) when (e is EngineException or IOException)
                {
                    _logger.LogWarning("Starting {Container} by its restart policy failed: {Error}", container.Id[..12], e.Message);
                }
            });
        }
    }

    /// <summary>The engine closes: from now on no restart policy acts, and the stops it makes are not the user's.</summary>
    public void BeginShutdown() => _restarts.BeginShutdown(List());

    /// <summary>Live restore at engine close: stops watching these running containers, which the next engine adopts.</summary>
    public void LeaveRunning(IReadOnlyList<Container> containers) => _monitor.Leave(containers);

    public void Rename(string idOrName, string newName)
    {
        var container = Get(idOrName);
        string oldName = _index.Rename(container, newName);
        _store.SaveRecord(container.Record);
        Publish(container, "rename", ("oldName", "/" + oldName));
    }

    /// <summary>Resource usage of a running container from its cgroup (`docker stats`); null when it does not run.</summary>
    public CgroupStats? ReadStats(string idOrName) => Get(idOrName).Runtime?.Cgroup.ReadStats();

    /// <summary>memory.stat, CPU user/kernel time and throttling of a running container (`docker stats`); null when it does not run.</summary>
    public CgroupStatDetails? ReadStatDetails(string idOrName) => Get(idOrName).Runtime?.Cgroup.ReadStatDetails();

    /// <summary>Host pids of a running container's processes (`docker top`); throws when it does not run.</summary>
    public IReadOnlyList<int> ProcessIds(string idOrName)
    {
        var container = Get(idOrName);
        var runtime = container.Runtime ?? throw new ContainerConflictException($"Container {container.Id} is not running");
        return runtime.Cgroup.Pids();
    }

    /// <summary>Sets a Tty container's terminal size (`docker resize`, the CLI's SIGWINCH); before the start it is kept for the start.</summary>
    public void Resize(string idOrName, ushort rows, ushort columns)
    {
        var container = Get(idOrName);
        container.ConsoleSize = (rows, columns);
        container.ApplyConsoleSize();
    }

    /// <summary>
    /// Attaches a client to the container's current run, or to its next run when it is not running.
    /// <paramref name="sink"/> receives the run's output; with <paramref name="stdin"/> the client may write to the
    /// container's stdin (if it was created with OpenStdin).
    /// </summary>
    public ContainerAttachment Attach(string idOrName, IOutputSink sink, bool stdin)
    {
        var container = Get(idOrName);
        var attachment = new ContainerAttachment(container, sink, stdin && container.Record.Config.OpenStdin, a =>
        {
            lock (container.AttachGate)
                container.PendingAttachments.Remove(a);
        });
        (ContainerOutput Output, ContainerStdin? Stdin)? io;
        lock (container.AttachGate)
        {
            io = container.CurrentIo;
            if (io is null)
                container.PendingAttachments.Add(attachment);
        }
        if (io is { } current)
            _work.Observe($"attachment to {container.Id[..12]}", attachment.BindAsync(current.Output, current.Stdin));
        Publish(container, "attach");
        return attachment;
    }
}
