using Berth.Engine.Rootfs;

namespace Berth.Engine.Containers;

/// <summary>
/// One container: its record, its state and, while it runs, its host resources. Lifecycle operations
/// (start, stop, remove) are serialised by <see cref="Lifecycle"/>; the state itself is guarded by a
/// short lock so that readers (ps, inspect) and the exit handler never wait for a slow operation.
/// </summary>
public sealed class Container
{
    private readonly Lock _stateGate = new();
    private ContainerState _state;

    internal Container(ContainerRecord record, ContainerState state, string directory, string logPath)
    {
        Record = record;
        _state = state;
        Directory = directory;
        LogPath = logPath;
        Rootfs = new OverlayRootfs(directory);
        if (record.HostConfig.ConsoleSize is [int rows, int columns] && rows > 0 && columns > 0)
            _consoleSize = ((ushort)rows, (ushort)columns);
    }

    public string Id => Record.Id;

    public string Name => Record.Name;

    public ContainerRecord Record { get; }

    public string Directory { get; }

    public string LogPath { get; }

    internal OverlayRootfs Rootfs { get; }

    /// <summary>What the container wrote (its overlay upper dir), as moby's SizeRw: regular files, hard links once.</summary>
    public long WritableLayerSize() => Storage.DiskUsage.Of(Rootfs.UpperDirectory);

    internal SemaphoreSlim Lifecycle { get; } = new(1, 1);

    internal ContainerRuntime? Runtime { get; set; }

    /// <summary>The restart policy's back-off since the user last started it (null before the first start).</summary>
    internal Restart.RestartBackoff? Restarts { get; set; }

    /// <summary>The master of the current run's terminal (Tty containers), for resizes.</summary>
    internal Microsoft.Win32.SafeHandles.SafeFileHandle? Terminal { get; set; }

    private (ushort Rows, ushort Columns) _consoleSize;

    /// <summary>The terminal size: from create's ConsoleSize, then from each resize.</summary>
    internal (ushort Rows, ushort Columns) ConsoleSize
    {
        get
        {
            lock (_stateGate)
                return _consoleSize;
        }
        set
        {
            lock (_stateGate)
                _consoleSize = value;
        }
    }

    /// <summary>How long the stages of the last successful start took.</summary>
    public StartTimings? LastStartTimings { get; internal set; }

    /// <summary>Guards <see cref="PendingAttachments"/> and <see cref="CurrentIo"/>.</summary>
    internal Lock AttachGate { get; } = new();

    /// <summary>Clients attached before a start, waiting for the next run.</summary>
    internal List<ContainerAttachment> PendingAttachments { get; } = [];

    /// <summary>The output and stdin of the current run, from just before its launch until its exit.</summary>
    internal (Logs.ContainerOutput Output, ContainerStdin? Stdin)? CurrentIo { get; set; }

    /// <summary>Completed at the end of the current (or next) run; replaced by a fresh one for the run after.</summary>
    internal TaskCompletionSource<ContainerExit> NextExit { get; set; } = NewExitSource();

    internal TaskCompletionSource<ContainerExit> Removed { get; } = NewExitSource();

    /// <summary>A copy of the current state.</summary>
    public ContainerState State
    {
        get
        {
            lock (_stateGate)
                return _state.Clone();
        }
    }

    /// <summary>Changes the state under the lock and returns a copy of the result (to persist).</summary>
    internal ContainerState UpdateState(Action<ContainerState> change)
    {
        lock (_stateGate)
        {
            var before = _state.Status;
            change(_state);
            ContainerTransitions.Check(before, _state.Status);
            return _state.Clone();
        }
    }

    /// <summary>Gives the clients attached before this start the run's output and stdin (before the process exists).</summary>
    internal void BindRun(Logs.ContainerOutput output, ContainerStdin? stdin, BackgroundWork work)
    {
        List<ContainerAttachment> pending;
        lock (AttachGate)
        {
            CurrentIo = (output, stdin);
            pending = [.. PendingAttachments];
            PendingAttachments.Clear();
        }
        foreach (var attachment in pending)
            work.Observe($"early stdin of an attachment to {Id[..12]}", attachment.BindAsync(output, stdin));
    }

    /// <summary>Sets a running Tty container's terminal to <see cref="ConsoleSize"/>; a no-op otherwise.</summary>
    internal void ApplyConsoleSize()
    {
        var (rows, columns) = ConsoleSize;
        if (Terminal is not { IsClosed: false } terminal || rows == 0 || columns == 0)
            return;
        try
        {
            Berth.Interop.Sys.SetWindowSize(terminal, rows, columns);
        }
        catch (Exception e) when (e is Berth.Interop.SyscallException or ObjectDisposedException)
        {
            // The run is ending; nothing to resize.
        }
    }

    internal void EndRun()
    {
        lock (AttachGate)
            CurrentIo = null;
    }

    internal static TaskCompletionSource<ContainerExit> NewExitSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
