using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Berth.Interop;
using Berth.InitSpec;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Processes;

/// <summary>
/// Starts processes through berth-launcher (the C fork point, native-interop/launcher) and berth-init, and hands
/// back the <see cref="LaunchSession"/> of the handshake (drawn in <see cref="SyncMessage"/>): a container's first
/// process with <see cref="Start"/>, a `docker exec` with <see cref="StartExec"/>.
/// </summary>
/// <param name="timeout">how long berthd waits for each message of a child before it kills it (a wedged child never hangs a start)</param>
public sealed class ContainerProcessLauncher(string launcherPath, string initPath, string reaperPath, TimeSpan? timeout = null)
{
    private static readonly Lazy<int> HostLastCapability = new(() =>
        int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim(), CultureInfo.InvariantCulture));

    public string LauncherPath { get; } = launcherPath;

    public string InitPath { get; } = initPath;

    /// <summary>berth-reaper, the PID 1 of containers run with --init.</summary>
    public string ReaperPath { get; } = reaperPath;

    /// <summary>30 s: a start takes milliseconds, but a host under load (two CPUs, dozens of starts) stretches it to seconds.</summary>
    public TimeSpan Timeout { get; } = timeout ?? TimeSpan.FromSeconds(30);

    /// <summary>
    /// With live restore, berth-keeper spawns the launcher of a container's first process, which then is the keeper's
    /// child (CLONE_PARENT) and outlives berthd; null: berthd spawns it and is its parent.
    /// </summary>
    public KeeperClient? Keeper { get; init; }

    /// <summary>The host's last capability number, probed once and passed to berth-init and the exec stage.</summary>
    public static int LastCapability => HostLastCapability.Value;

    /// <param name="stdio">The container's fds 0, 1 and 2 (parent-side handles of the child's ends); /dev/null for a terminal.</param>
    /// <param name="cgroupProcsFiles">cgroup.procs files the process joins before it is cloned.</param>
    public LaunchSession Start(InitSpec.InitSpec spec, IReadOnlyList<SafeFileHandle> stdio, IReadOnlyList<string> cgroupProcsFiles)
    {
        spec.LastCapability = LastCapability;
        byte[] specJson = JsonSerializer.SerializeToUtf8Bytes(spec, InitSpecJsonContext.Default.InitSpec);
        using SafeFileHandle specFile = Sys.MemoryFile("berth-init-spec", specJson);
        var args = new List<string> { LauncherPath, "run" };
        if (spec.NetworkNamespace is not null)
            args.AddRange(["--join-net", spec.NetworkNamespace]);
        foreach (string procs in cgroupProcsFiles)
            args.AddRange(["--cgroup", procs]);
        args.AddRange(["--", InitPath]);
        return Spawn(args, [], stdio, specFile, "berth-init", Keeper);
    }

    /// <summary>
    /// Runs a command inside a running container through berth-launcher's exec mode (setns, then clone into the
    /// container's pid namespace). The environment travels as the launcher's own. The session has no Ready:
    /// call <see cref="LaunchSession.WaitExec"/>.
    /// </summary>
    public LaunchSession StartExec(ExecLaunchSpec spec, IReadOnlyList<SafeFileHandle> stdio)
    {
        var args = new List<string> { LauncherPath, "exec", "--pid", Invariant(spec.ContainerPid), "--last-cap", Invariant(LastCapability) };
        foreach (string procs in spec.CgroupProcsFiles)
            args.AddRange(["--cgroup", procs]);
        args.AddRange(["--uid", Invariant(spec.Uid), "--gid", Invariant(spec.Gid), "--cwd", spec.WorkingDir]);
        args.AddRange(["--caps", spec.Capabilities.ToString("x", CultureInfo.InvariantCulture)]);
        if (spec.AdditionalGids.Count > 0)
            args.AddRange(["--groups", string.Join(',', spec.AdditionalGids.Select(Invariant))]);
        if (spec.NoNewPrivileges)
            args.Add("--no-new-privs");
        if (spec.Terminal)
            args.Add("--tty");
        using var seccomp = spec.SeccompFilter is null ? null : Sys.MemoryFile("berth-seccomp", spec.SeccompFilter);
        if (seccomp is not null)
            args.Add("--seccomp");
        args.Add("--");
        args.AddRange(spec.Args);
        return Spawn(args, spec.Env, stdio, seccomp, spec.Args[0], keeper: null);
    }

    private static SyncMessageType MemoryMarshalType(ReadOnlySpan<byte> datagram) =>
        (SyncMessageType)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(datagram);

    private static string Invariant<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    /// <summary>Spawns the launcher with stdio, the sync socket (ChildContract.SyncFd) and one optional fd after it, and waits for its Pid.</summary>
    /// <param name="keeper">when set, the keeper spawns the launcher and is the parent of what it clones (the keeper reaps both)</param>
    private LaunchSession Spawn(List<string> args, IReadOnlyList<string> env, IReadOnlyList<SafeFileHandle> stdio, SafeFileHandle? extra, string what, KeeperClient? keeper)
    {
        var (socket, childEnd) = Sys.SeqPacketPair();
        try
        {
            int launcherPid;
            using (childEnd)
            {
                var fds = new List<int>(stdio.Select(h => (int)h.DangerousGetHandle())) { (int)childEnd.DangerousGetHandle() };
                Debug.Assert(fds.Count - 1 == ChildContract.SyncFd);
                if (extra is not null)
                    fds.Add((int)extra.DangerousGetHandle());
                launcherPid = keeper is null ? Sys.Spawn(LauncherPath, args, env, fds) : keeper.Spawn(args, env, fds);
            }
            long spawned = Stopwatch.GetTimestamp();
            int pid = ReceivePid(socket, launcherPid, keeper is null);
            // Open the pidfd before anything else: until its parent reaps the child, its pid cannot be reused (the
            // keeper reaps only on its own SIGCHLD, after the child has exited: the pidfd then still names it).
            var pidfd = Sys.PidfdOpen(pid);
            return new LaunchSession(socket, pid, pidfd, keeper is null ? launcherPid : 0, Timeout, what, spawned) { IsChild = keeper is null };
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The launcher's first message. After a Pid the session reaps the launcher once the command runs, off the start's path.</summary>
    private int ReceivePid(SafeFileHandle socket, int launcherPid, bool isChild)
    {
        Span<byte> buffer = stackalloc byte[SyncMessage.MaxSize];
        int length = Sys.ReceiveMessage(socket, buffer, (int)Timeout.TotalMilliseconds, out var fd);
        fd?.Dispose();
        if (length < 0)
        {
            Sys.Kill(launcherPid, Containers.Signals.SIGKILL);
            if (isChild)
                Sys.WaitPid(launcherPid);
            throw new ContainerStartException(ChildContract.ExitSetupFailed, $"berth-launcher did not report a pid within {Timeout.TotalSeconds:0.#} s: killed");
        }
        int launcherExit = length > 0 && MemoryMarshalType(buffer) == SyncMessageType.Pid || !isChild ? 0 : Sys.WaitPid(launcherPid);
        SyncMessage message;
        try
        {
            message = length == 0 ? default : SyncMessage.Decode(buffer[..length]);
        }
        catch (FormatException e)
        {
            throw new ContainerStartException(ChildContract.ExitSetupFailed, "berth-launcher: " + e.Message);
        }
        return message switch
        {
            { Type: SyncMessageType.Pid, Value: > 0 } => message.Value,
            { Type: SyncMessageType.Error } => throw new ContainerStartException(message.Value, message.Text),
            _ when length == 0 => throw new ContainerStartException(ChildContract.ExitSetupFailed, $"berth-launcher exited with status {launcherExit} without reporting a process"),
            _ => throw new ContainerStartException(ChildContract.ExitSetupFailed, $"berth-launcher sent {message} where Pid was expected"),
        };
    }
}
