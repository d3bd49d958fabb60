using System.Diagnostics;
using System.Security.Cryptography;
using Berth.Engine.Cgroups;
using Berth.Engine.Events;
using Berth.Engine.Images;
using Berth.Engine.Io;
using Berth.Engine.Logs;
using Berth.Engine.Processes;
using Berth.Engine.Rootfs;
using Berth.Engine.Security;
using Berth.Engine.Volumes;
using Berth.InitSpec;
using Berth.Interop;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Containers;

/// <summary>
/// The container lifecycle: create, start, stop, kill, wait and remove, with the state on disk after
/// every change. The path of a start is linear: image → merged config (at create) → overlay rootfs →
/// cgroup → init spec → launcher → running, watched through its pidfd on the <see cref="EpollLoop"/>.
/// </summary>
public sealed class ContainerManager
{
    private static readonly TimeSpan OutputDrainTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CgroupDestroyTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(30);

    private readonly ImageStore _images;
    private readonly ICgroupDriver _cgroups;
    private readonly ContainerProcessLauncher _launcher;
    private readonly EpollLoop _loop;
    private readonly ContainerStore _store;
    private readonly ILogger _logger;
    private readonly EngineEvents _events;
    private readonly ContainerMounts _mounts;
    private readonly IReadOnlyList<string> _maskedPaths = DefaultPaths.Masked();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Container> _byId = [];
    private readonly Dictionary<string, Container> _byName = [];

    public ContainerManager(string root, ImageStore images, ICgroupDriver cgroups, ContainerProcessLauncher launcher, EpollLoop loop, EngineEvents events, ContainerMounts mounts, ILogger logger)
    {
        _events = events;
        _mounts = mounts;
        _images = images;
        _cgroups = cgroups;
        _launcher = launcher;
        _loop = loop;
        _logger = logger;
        _store = new ContainerStore(root, logger);
    }

    /// <summary>The daemon's `--log-driver` and `--log-opt`, which a container's own log config is merged over at create.</summary>
    public LogConfig DefaultLogConfig { get; init; } = new() { Type = LogSettings.JsonFile };

    /// <summary>Loads the containers on disk. Those that were running when the engine stopped are cleaned up and marked exited.</summary>
    public async Task LoadAsync(CancellationToken ct = default)
    {
        foreach (var (record, state) in _store.LoadAll())
        {
            var container = new Container(record, state, _store.DirectoryOf(record.Id), _store.LogPathOf(record.Id));
            lock (_gate)
            {
                _byId[record.Id] = container;
                _byName[record.Name] = container;
            }
            if (state.Running || state.Status == ContainerStatus.Removing)
                await RecoverAsync(container, ct);
            else
                await ReleaseLeftoversAsync(container, ct);
        }
        await RemoveStrangersAsync(ct);
    }

    /// <summary>A container that was not running may still hold a cgroup or a mount if the engine died in the middle of a start.</summary>
    private async Task ReleaseLeftoversAsync(Container container, CancellationToken ct)
    {
        if (_cgroups.Open(container.Id) is { } cgroup)
        {
            _logger.LogWarning("Removing the leftover cgroup of {Container}", container.Id[..12]);
            await cgroup.DestroyAsync(CgroupDestroyTimeout, ct);
        }
        if (container.Rootfs.Unmount())
            _logger.LogWarning("Unmounted the leftover rootfs of {Container}", container.Id[..12]);
    }

    /// <summary>cgroups and mounts under the engine's parent and data root that belong to no known container (a crash between steps).</summary>
    private async Task RemoveStrangersAsync(CancellationToken ct)
    {
        foreach (string id in _cgroups.ListContainerIds())
        {
            bool known;
            lock (_gate)
                known = _byId.ContainsKey(id);
            if (!known && _cgroups.Open(id) is { } stranger)
            {
                _logger.LogWarning("Removing cgroup {Id}, which belongs to no container", id);
                await stranger.DestroyAsync(CgroupDestroyTimeout, ct);
            }
        }
        foreach (string mount in MountTable.MountPointsUnder(_store.Root).OrderByDescending(m => m.Length))
        {
            string id = Path.GetFileName(Path.GetDirectoryName(mount)!);
            bool known;
            lock (_gate)
                known = _byId.ContainsKey(id) && mount == _byId[id].Rootfs.MergedDirectory && _byId[id].Runtime is not null;
            if (!known)
            {
                _logger.LogWarning("Unmounting {Mount}, which belongs to no running container", mount);
                Sys.TryUnmount(mount, Libc.MNT_DETACH);
            }
        }
    }

    /// <summary>Publishes a container event with Docker's attributes: the container's labels, name and image, plus <paramref name="extra"/>.</summary>
    internal void Publish(Container container, string action, params (string Key, string Value)[] extra)
    {
        var attributes = new Dictionary<string, string>(container.Record.Config.Labels ?? []);
        attributes["name"] = container.Name;
        attributes["image"] = container.Record.Config.Image;
        foreach (var (key, value) in extra)
            attributes[key] = value;
        _events.Publish("container", action, container.Id, attributes);
    }

    /// <summary>Raised after a container was removed (exec sessions and other per-container state go with it).</summary>
    internal event Action<Container>? Removed;

    public IReadOnlyList<Container> List()
    {
        lock (_gate)
            return _byId.Values.OrderByDescending(c => c.Record.Created).ToList();
    }

    /// <summary>Finds a container as Docker does: full id, then name, then unique id prefix.</summary>
    public Container Get(string idOrName)
    {
        lock (_gate)
        {
            if (_byId.TryGetValue(idOrName, out var byId))
                return byId;
            if (_byName.TryGetValue(idOrName.TrimStart('/'), out var byName))
                return byName;
            if (idOrName.Length > 0 && idOrName.All(char.IsAsciiHexDigitLower))
            {
                var matches = _byId.Values.Where(c => c.Id.StartsWith(idOrName, StringComparison.Ordinal)).Take(2).ToList();
                if (matches.Count == 1)
                    return matches[0];
                if (matches.Count > 1)
                    throw new ArgumentException($"multiple IDs found with provided prefix: {idOrName}");
            }
        }
        throw new ContainerNotFoundException(idOrName);
    }

    public bool IsImageInUse(string imageId)
    {
        lock (_gate)
            return _byId.Values.Any(c => c.Record.ImageId == imageId);
    }

    public Container Create(string? name, ContainerConfig config, HostConfig hostConfig)
    {
        var image = _images.Find(config.Image) ?? throw new ImageNotFoundException(config.Image);
        hostConfig.LogConfig = LogSettings.Merge(hostConfig.LogConfig, DefaultLogConfig);
        LogSettings.Parse(hostConfig.LogConfig);
        Validate(hostConfig);
        var execution = image.Config.Config;
        var defaults = new ImageDefaults(execution?.Env, execution?.Entrypoint, execution?.Cmd, execution?.WorkingDir, execution?.User, execution?.StopSignal);
        var merged = ContainerSpecBuilder.Merge(config, defaults, execution?.Labels, execution?.ExposedPorts?.Keys, execution?.Volumes?.Keys);
        var command = ContainerSpecBuilder.ResolveCommand(merged);
        if (merged.StopSignal is { Length: > 0 } stopSignal)
            Signals.Parse(stopSignal);

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
        Container container;
        lock (_gate)
        {
            record.Name = name is null ? ContainerNames.Generate(_byName.ContainsKey) : ContainerNames.Normalize(name);
            if (_byName.TryGetValue(record.Name, out var existing))
                throw new ContainerConflictException($"Conflict. The container name \"/{record.Name}\" is already in use by container \"{existing.Id}\". You have to remove (or rename) that container to be able to reuse that name.");
            container = new Container(record, new ContainerState(), _store.DirectoryOf(id), _store.LogPathOf(id));
            _byId[id] = container;
            _byName[record.Name] = container;
        }
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
            Forget(container);
            _mounts.RemoveAnonymous(container);
            _store.Delete(id);
            throw;
        }
        Publish(container, "create");
        return container;
    }

    /// <summary>Fills the container's empty volumes with the image's files at their destinations (moby does it at create).</summary>
    private void CopyUp(Container container, Image image)
    {
        container.Rootfs.Mount(_images.GetLayerDirectories(image));
        try
        {
            _mounts.CopyUp(container, container.Rootfs.MergedDirectory);
        }
        finally
        {
            container.Rootfs.Unmount();
        }
    }

    private static void Validate(HostConfig hostConfig)
    {
        LimitsOf(hostConfig).Validate();
        Capabilities.Resolve(hostConfig.CapAdd, hostConfig.CapDrop, hostConfig.Privileged);
    }

    private static CgroupLimits LimitsOf(HostConfig hostConfig) => new(
        MemoryBytes: hostConfig.Memory > 0 ? hostConfig.Memory : null,
        MemorySwapBytes: hostConfig.MemorySwap != 0 ? hostConfig.MemorySwap : null,
        NanoCpus: hostConfig.NanoCpus > 0 ? hostConfig.NanoCpus : null,
        CpuShares: hostConfig.CpuShares > 0 ? hostConfig.CpuShares : null,
        PidsLimit: hostConfig.PidsLimit is > 0 ? hostConfig.PidsLimit : null,
        AllowAllDevices: hostConfig.Privileged);

    /// <summary>Starts the container; returns false when it was already running (HTTP 304).</summary>
    public async Task<bool> StartAsync(string idOrName, CancellationToken ct = default)
    {
        var container = Get(idOrName);
        await container.Lifecycle.WaitAsync(ct);
        try
        {
            var state = container.State;
            if (state.Running)
                return false;
            if (state.Status == ContainerStatus.Removing)
                throw new ContainerConflictException($"container {container.Id} is marked for removal and cannot be started");
            await StartLockedAsync(container);
            return true;
        }
        finally
        {
            container.Lifecycle.Release();
        }
    }

    private async Task StartLockedAsync(Container container)
    {
        long begin = Stopwatch.GetTimestamp();
        var image = _images.Find(container.Record.ImageId) ?? throw new ImageNotFoundException(container.Record.ImageId);
        var rootfs = container.Rootfs;
        rootfs.Create();
        if (!rootfs.IsMounted())
            rootfs.Mount(_images.GetLayerDirectories(image));
        long mounted = Stopwatch.GetTimestamp();

        ContainerCgroup? cgroup = null;
        ContainerOutput? output = null;
        ContainerStdin? stdin = null;
        LaunchedProcess? process = null;
        try
        {
            cgroup = _cgroups.Create(container.Id, LimitsOf(container.Record.HostConfig));
            long cgroupCreated = Stopwatch.GetTimestamp();
            var spec = BuildSpec(container);
            long specBuilt = Stopwatch.GetTimestamp();
            output = new ContainerOutput(_loop, container.LogPath, LogSettings.Parse(container.Record.HostConfig.LogConfig ?? DefaultLogConfig));
            if (container.Record.Config.Tty)
                (process, stdin) = LaunchWithTerminal(container, spec, cgroup, output);
            else
                (process, stdin) = LaunchWithPipes(container, spec, cgroup, output);

            container.LastStartTimings = new StartTimings(
                Stopwatch.GetElapsedTime(begin, mounted), Stopwatch.GetElapsedTime(mounted, cgroupCreated),
                Stopwatch.GetElapsedTime(cgroupCreated, specBuilt), process.LauncherTime, process.InitTime,
                Stopwatch.GetElapsedTime(begin));
            _logger.LogDebug("Started {Container}: {Timings}", container.Id[..12], container.LastStartTimings);
            var runtime = new ContainerRuntime(process, cgroup, output, stdin);
            var started = container.UpdateState(s =>
            {
                s.Status = ContainerStatus.Running;
                s.Pid = process.Pid;
                s.ExitCode = 0;
                s.Error = "";
                s.OOMKilled = false;
                s.StartedAt = DateTime.UtcNow;
            });
            container.Runtime = runtime;
            _store.SaveState(container.Id, started);
            ApplyConsoleSize(container);
            Publish(container, "start");
            runtime.ExitRegistration = _loop.Add(process.PidFd, (registration, events) =>
            {
                _loop.Remove(registration);
                _ = Task.Run(() => HandleExitAsync(container, runtime));
            });
        }
        catch (Exception e)
        {
            _logger.LogWarning("Start of {Container} failed: {Error}", container.Id[..12], e.Message);
            if (process is not null)
            {
                Sys.PidfdSendSignal(process.PidFd, Signals.SIGKILL);
                Sys.WaitPid(process.Pid);
                process.PidFd.Dispose();
            }
            stdin?.Dispose();
            await ReleaseAsync(container, cgroup, output);
            int code = e is ContainerStartException start ? start.ExitCode : 128;
            var failed = container.UpdateState(s =>
            {
                s.ExitCode = code;
                s.Error = e.Message;
                if (s.Status == ContainerStatus.Running)
                    s.Status = ContainerStatus.Exited;
            });
            _store.SaveState(container.Id, failed);
            throw e is ContainerStartException ? e : new ContainerStartException(code, e.Message);
        }
    }

    private (LaunchedProcess, ContainerStdin?) LaunchWithPipes(Container container, InitSpec.InitSpec spec, ContainerCgroup cgroup, ContainerOutput output)
    {
        var (stdinRead, stdinWrite) = OpenStdin(container.Record.Config);
        var stdin = stdinWrite is null ? null : new ContainerStdin(stdinWrite, isTerminal: false);
        using (stdinRead)
        {
            var (stdoutRead, stdoutWrite) = Sys.Pipe();
            var (stderrRead, stderrWrite) = Sys.Pipe();
            output.AddStream(LogStream.Stdout, stdoutRead);
            output.AddStream(LogStream.Stderr, stderrRead);
            // Before the launch: input that attached clients sent early goes into the pipe, and no output is missed.
            BindAttachments(container, output, stdin);
            using (stdoutWrite)
            using (stderrWrite)
                return (_launcher.Launch(spec, [stdinRead, stdoutWrite, stderrWrite], cgroup.ProcsFiles), stdin);
        }
    }

    /// <summary>
    /// A Tty container: berth-init makes the terminal inside the container and sends its master back over a
    /// socket pair (runc's console socket); its output is one stream, logged as stdout.
    /// </summary>
    private (LaunchedProcess, ContainerStdin?) LaunchWithTerminal(Container container, InitSpec.InitSpec spec, ContainerCgroup cgroup, ContainerOutput output)
    {
        spec.Terminal = true;
        (spec.ConsoleRows, spec.ConsoleColumns) = container.ConsoleSize;
        var (console, consoleForInit) = Sys.SocketPair();
        using (console)
        {
            LaunchedProcess process;
            using (consoleForInit)
            using (var devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite))
                process = _launcher.Launch(spec, [devNull, devNull, devNull], cgroup.ProcsFiles, consoleForInit);
            var master = Sys.ReceiveFd(console);
            if (master is null)
            {
                Sys.PidfdSendSignal(process.PidFd, Signals.SIGKILL);
                Sys.WaitPid(process.Pid);
                throw new ContainerStartException(128, "berth-init did not send the container's terminal");
            }
            container.Terminal = master;
            var stdin = new ContainerStdin(master, isTerminal: true);
            BindAttachments(container, output, stdin);
            output.AddStream(LogStream.Stdout, master);
            return (process, stdin);
        }
    }

    /// <summary>Sets a Tty container's terminal size (`docker resize`, the CLI's SIGWINCH); before the start it is kept for the start.</summary>
    public void Resize(string idOrName, ushort rows, ushort columns)
    {
        var container = Get(idOrName);
        container.ConsoleSize = (rows, columns);
        ApplyConsoleSize(container);
    }

    private static void ApplyConsoleSize(Container container)
    {
        var (rows, columns) = container.ConsoleSize;
        if (container.Terminal is not { IsClosed: false } terminal || rows == 0 || columns == 0)
            return;
        try
        {
            Sys.SetWindowSize(terminal, rows, columns);
        }
        catch (Exception e) when (e is SyscallException or ObjectDisposedException)
        {
            // The run is ending; nothing to resize.
        }
    }

    /// <summary>Gives the clients attached before this start the run's output and stdin, before the process exists.</summary>
    private static void BindAttachments(Container container, ContainerOutput output, ContainerStdin? stdin)
    {
        List<ContainerAttachment> pending;
        lock (container.AttachGate)
        {
            container.CurrentIo = (output, stdin);
            pending = [.. container.PendingAttachments];
            container.PendingAttachments.Clear();
        }
        foreach (var attachment in pending)
            _ = attachment.BindAsync(output, stdin);
    }

    /// <summary>
    /// Attaches a client to the container's current run, or to its next run when it is not running.
    /// <paramref name="sink"/> receives the run's output; with <paramref name="stdin"/> the client may write to the
    /// container's stdin (if it was created with OpenStdin).
    /// </summary>
    public ContainerAttachment Attach(string idOrName, IOutputSink sink, bool stdin)
    {
        var container = Get(idOrName);
        ContainerAttachment? attachment = null;
        attachment = new ContainerAttachment(container, sink, stdin && container.Record.Config.OpenStdin, a =>
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
            _ = attachment.BindAsync(current.Output, current.Stdin);
        Publish(container, "attach");
        return attachment;
    }

    private InitSpec.InitSpec BuildSpec(Container container)
    {
        var record = container.Record;
        string rootfs = container.Rootfs.MergedDirectory;
        ResolvedUser user;
        try
        {
            user = UserResolver.Resolve(rootfs, record.Config.User);
        }
        catch (ArgumentException e)
        {
            throw new ContainerStartException(128, e.Message);
        }
        var spec = ContainerSpecBuilder.Build(record.Id, record.Config, record.HostConfig, rootfs, user, CgroupMount(), _maskedPaths, _mounts.Acquire(container));
        if (record.HostConfig.Init)
        {
            spec.InitProgram = _launcher.ReaperPath;
            spec.Args.InsertRange(0, ["/dev/init", "--"]);
        }
        return spec;
    }

    private InitCgroupMount CgroupMount()
    {
        if (_cgroups is CgroupV1Manager v1)
        {
            var mount = new InitCgroupMount { Version = 1 };
            foreach (var hierarchy in v1.Hierarchies)
                mount.Hierarchies.Add(new InitCgroupHierarchy { Directory = Path.GetFileName(hierarchy.MountPoint), Options = string.Join(',', hierarchy.Controllers) });
            return mount;
        }
        return new InitCgroupMount { Version = _cgroups.Version };
    }

    private static (SafeFileHandle Read, SafeFileHandle? Write) OpenStdin(ContainerConfig config)
    {
        if (!config.OpenStdin)
            return (File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Read), null);
        var (read, write) = Sys.Pipe();
        return (read, write);
    }

    private async Task HandleExitAsync(Container container, ContainerRuntime runtime)
    {
        Sys.TryReapPidfd(runtime.Process.PidFd, out int exitCode, out _);
        runtime.Process.PidFd.Dispose();
        runtime.Stdin?.Dispose();
        bool oomKilled = SafeOomCheck(runtime.Cgroup);
        await ReleaseAsync(container, runtime.Cgroup, runtime.Output);
        lock (container.AttachGate)
            container.CurrentIo = null;

        var exited = container.UpdateState(s =>
        {
            s.Status = ContainerStatus.Exited;
            s.Pid = 0;
            s.ExitCode = exitCode;
            s.OOMKilled = oomKilled;
            s.FinishedAt = DateTime.UtcNow;
        });
        // Persisted before the runtime goes: a forced remove that finds no runtime deletes the container's
        // directory at once, and must not race this write.
        _store.SaveState(container.Id, exited);
        container.Runtime = null;
        container.Terminal = null;
        if (oomKilled)
            Publish(container, "oom");
        Publish(container, "die", ("exitCode", exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var exit = new ContainerExit(exitCode, oomKilled);
        var signal = container.NextExit;
        container.NextExit = Container.NewExitSource();
        signal.TrySetResult(exit);

        if (container.Record.HostConfig.AutoRemove)
        {
            try
            {
                await RemoveAsync(container.Id, force: true, removeVolumes: true);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _logger.LogError("Auto-remove of {Container} failed: {Error}", container.Id[..12], e.Message);
            }
        }
    }

    private bool SafeOomCheck(ContainerCgroup cgroup)
    {
        try
        {
            return cgroup.WasOomKilled();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Reading the OOM counter of {Cgroup} failed: {Error}", cgroup.Path, e.Message);
            return false;
        }
    }

    /// <summary>Frees what a run held: waits for the output to drain, removes the cgroup, unmounts the rootfs.</summary>
    private async Task ReleaseAsync(Container container, ContainerCgroup? cgroup, ContainerOutput? output)
    {
        if (output is not null)
        {
            try
            {
                await output.Completion.WaitAsync(OutputDrainTimeout);
            }
            catch (TimeoutException)
            {
                _logger.LogWarning("Output of {Container} still open {Timeout} after its exit", container.Id[..12], OutputDrainTimeout);
            }
            output.Dispose();
        }
        lock (container.AttachGate)
            container.CurrentIo = null;
        if (cgroup is not null)
            await cgroup.DestroyAsync(CgroupDestroyTimeout);
        container.Rootfs.Unmount();
        _mounts.Release(container);
    }

    /// <summary>Sends the stop signal, then SIGKILL after the timeout; returns false when the container was not running (HTTP 304).</summary>
    public async Task<bool> StopAsync(string idOrName, int? timeoutSeconds = null, string? signal = null, CancellationToken ct = default)
    {
        var container = Get(idOrName);
        await container.Lifecycle.WaitAsync(ct);
        try
        {
            var runtime = container.Runtime;
            if (runtime is null)
                return false;
            var exit = container.NextExit.Task;
            int stopSignal = Signals.Parse(signal ?? ContainerSpecBuilder.StopSignal(container.Record.Config));
            Publish(container, "kill", ("signal", stopSignal.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Sys.PidfdSendSignal(runtime.Process.PidFd, stopSignal);
            Unfreeze(container, runtime); // a paused container must run to handle its stop signal
            int timeout = timeoutSeconds ?? container.Record.Config.StopTimeout ?? 10;
            if (timeout < 0 || !await Completes(exit, TimeSpan.FromSeconds(timeout), ct))
            {
                Publish(container, "kill", ("signal", Signals.SIGKILL.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                await KillAndWaitAsync(container, runtime, exit);
            }
            Publish(container, "stop");
            return true;
        }
        finally
        {
            container.Lifecycle.Release();
        }
    }

    private static async Task<bool> Completes(Task task, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await task.WaitAsync(timeout, ct);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task KillAndWaitAsync(Container container, ContainerRuntime runtime, Task exit)
    {
        // SIGKILL to the pid namespace's init ends every process in it; the cgroup catches any that escaped.
        Sys.PidfdSendSignal(runtime.Process.PidFd, Signals.SIGKILL);
        Unfreeze(container, runtime);
        if (!await Completes(exit, TimeSpan.FromSeconds(2), CancellationToken.None))
            runtime.Cgroup.KillAll();
        await exit.WaitAsync(KillTimeout);
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

    /// <summary>Freezes every process of the container (`docker pause`).</summary>
    public async Task PauseAsync(string idOrName, CancellationToken ct = default)
    {
        var container = Get(idOrName);
        await container.Lifecycle.WaitAsync(ct);
        try
        {
            var runtime = container.Runtime ?? throw new ContainerConflictException($"Container {container.Id} is not running");
            if (container.State.Status == ContainerStatus.Paused)
                throw new ContainerConflictException($"Container {container.Id} is already paused");
            runtime.Cgroup.Freeze();
            _store.SaveState(container.Id, container.UpdateState(s => s.Status = ContainerStatus.Paused));
            Publish(container, "pause");
        }
        finally
        {
            container.Lifecycle.Release();
        }
    }

    public async Task UnpauseAsync(string idOrName, CancellationToken ct = default)
    {
        var container = Get(idOrName);
        await container.Lifecycle.WaitAsync(ct);
        try
        {
            var runtime = container.Runtime;
            if (runtime is null || container.State.Status != ContainerStatus.Paused)
                throw new ContainerConflictException($"Container {container.Id} is not paused");
            Unfreeze(container, runtime);
        }
        finally
        {
            container.Lifecycle.Release();
        }
    }

    private void Unfreeze(Container container, ContainerRuntime runtime)
    {
        if (container.State.Status != ContainerStatus.Paused)
            return;
        runtime.Cgroup.Thaw();
        _store.SaveState(container.Id, container.UpdateState(s =>
        {
            if (s.Status == ContainerStatus.Paused)
                s.Status = ContainerStatus.Running;
        }));
        Publish(container, "unpause");
    }

    /// <summary>Stops the container if it runs (with <paramref name="signal"/>, else its stop signal), then starts it (`docker restart`).</summary>
    public async Task RestartAsync(string idOrName, int? timeoutSeconds = null, string? signal = null, CancellationToken ct = default)
    {
        var container = Get(idOrName);
        await StopAsync(container.Id, timeoutSeconds, signal, ct);
        await StartAsync(container.Id, ct);
        Publish(container, "restart");
    }

    public void Rename(string idOrName, string newName)
    {
        var container = Get(idOrName);
        string name = ContainerNames.Normalize(newName);
        string oldName;
        lock (_gate)
        {
            oldName = container.Record.Name;
            if (name == oldName)
                throw new ArgumentException($"Renaming a container with the same name as its current name");
            if (_byName.TryGetValue(name, out var existing))
                throw new ContainerConflictException($"Conflict. The container name \"/{name}\" is already in use by container \"{existing.Id}\". You have to remove (or rename) that container to be able to reuse that name.");
            container.Record.Name = name;
            _byName.Remove(oldName);
            _byName[name] = container;
        }
        _store.SaveRecord(container.Record);
        Publish(container, "rename", ("oldName", "/" + oldName));
    }

    public void Kill(string idOrName, string? signal = null)
    {
        var container = Get(idOrName);
        int number = Signals.Parse(string.IsNullOrEmpty(signal) ? "KILL" : signal);
        var runtime = container.Runtime;
        if (runtime is null || !Sys.PidfdSendSignal(runtime.Process.PidFd, number))
            throw new ContainerConflictException($"Container {container.Id} is not running");
        Publish(container, "kill", ("signal", number.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (number == Signals.SIGKILL)
            Unfreeze(container, runtime); // a frozen process cannot die until it is thawed
    }

    /// <param name="removeVolumes">`rm -v`: also remove the container's anonymous volumes.</param>
    public async Task RemoveAsync(string idOrName, bool force, CancellationToken ct = default, bool removeVolumes = false)
    {
        var container = Get(idOrName);
        await container.Lifecycle.WaitAsync(ct);
        try
        {
            var runtime = container.Runtime;
            if (runtime is not null)
            {
                if (!force)
                    throw new ContainerConflictException($"You cannot remove a running container {container.Id}. Stop the container before attempting removal or force remove");
                await KillAndWaitAsync(container, runtime, container.NextExit.Task);
            }
            if (container.State.Status == ContainerStatus.Removing && !force)
                throw new ContainerConflictException($"removal of container {container.Id} is already in progress");
            container.UpdateState(s => s.Status = ContainerStatus.Removing);
            if (_cgroups.Open(container.Id) is { } leftover)
                await leftover.DestroyAsync(CgroupDestroyTimeout, ct);
            container.Rootfs.Unmount();
            _store.Delete(container.Id);
            Forget(container);
            if (removeVolumes)
                _mounts.RemoveAnonymous(container);
            Publish(container, "destroy");
            Removed?.Invoke(container);
            container.Removed.TrySetResult(new ContainerExit(container.State.ExitCode, container.State.OOMKilled));
        }
        finally
        {
            container.Lifecycle.Release();
        }
    }

    private void Forget(Container container)
    {
        lock (_gate)
        {
            _byId.Remove(container.Id);
            if (_byName.TryGetValue(container.Name, out var named) && named == container)
                _byName.Remove(container.Name);
        }
    }

    public async Task<ContainerExit> WaitAsync(string idOrName, WaitCondition condition, CancellationToken ct = default)
    {
        var container = Get(idOrName);
        Task<ContainerExit> task = condition switch
        {
            WaitCondition.Removed => container.Removed.Task,
            WaitCondition.NextExit => container.NextExit.Task,
            _ => container.Runtime is null ? Task.FromResult(ExitOf(container)) : container.NextExit.Task,
        };
        return await task.WaitAsync(ct);
    }

    private static ContainerExit ExitOf(Container container)
    {
        var state = container.State;
        return new ContainerExit(state.ExitCode, state.OOMKilled, state.Error.Length > 0 ? state.Error : null);
    }

    /// <summary>A container that was running when the engine went away: kill what is left, free its resources, mark it exited.</summary>
    private async Task RecoverAsync(Container container, CancellationToken ct)
    {
        bool wasAlive = false;
        if (_cgroups.Open(container.Id) is { } cgroup)
        {
            wasAlive = cgroup.Pids().Count > 0;
            await cgroup.DestroyAsync(CgroupDestroyTimeout, ct);
        }
        container.Rootfs.Unmount();
        var state = container.UpdateState(s =>
        {
            if (s.Status == ContainerStatus.Removing)
            {
                s.Status = ContainerStatus.Exited;
                return;
            }
            s.Status = ContainerStatus.Exited;
            s.Pid = 0;
            s.ExitCode = wasAlive ? 128 + Signals.SIGKILL : 255;
            s.Error = wasAlive ? "" : "the engine stopped while the container was running; its exit status is unknown";
            s.FinishedAt = DateTime.UtcNow;
        });
        _store.SaveState(container.Id, state);
        _logger.LogInformation("Recovered {Container}: marked exited ({ExitCode})", container.Id[..12], state.ExitCode);
    }
}
