using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Berth.Interop;
using Berth.InitSpec;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Processes;

/// <summary>
/// Starts a container's first process through berth-launcher (the C fork point) and berth-init:
/// spawn the launcher with the container's stdio, a report pipe and the spec, then read the report
/// pipe to its end. "pid N" comes from the launcher; end of file means berth-init exec'd the command;
/// an "error CODE MESSAGE" line means setup failed (see native-interop/launcher/berth-launcher.c).
/// </summary>
public sealed class ContainerProcessLauncher(string launcherPath, string initPath, string reaperPath)
{
    public string LauncherPath { get; } = launcherPath;

    public string InitPath { get; } = initPath;

    /// <summary>berth-reaper, the PID 1 of containers run with --init.</summary>
    public string ReaperPath { get; } = reaperPath;

    /// <param name="stdio">The container's fds 0, 1 and 2 (parent-side handles of the child's ends).</param>
    /// <param name="cgroupProcsFiles">cgroup.procs files the process joins before it is cloned.</param>
    /// <param name="consoleSocket">For a terminal: the socket berth-init sends the pty master over (its fd 5).</param>
    public LaunchedProcess Launch(InitSpec.InitSpec spec, IReadOnlyList<SafeFileHandle> stdio, IReadOnlyList<string> cgroupProcsFiles, SafeFileHandle? consoleSocket = null)
    {
        byte[] specJson = JsonSerializer.SerializeToUtf8Bytes(spec, InitSpecJsonContext.Default.InitSpec);
        using SafeFileHandle specFile = Sys.MemoryFile("berth-init-spec", specJson);
        var (reportRead, reportWrite) = Sys.Pipe();
        using (reportRead)
        {
            int launcherPid;
            using (reportWrite)
            {
                var fds = new List<int>(stdio.Select(h => (int)h.DangerousGetHandle()))
                {
                    (int)reportWrite.DangerousGetHandle(),
                    (int)specFile.DangerousGetHandle(),
                };
                if (consoleSocket is not null)
                    fds.Add((int)consoleSocket.DangerousGetHandle());
                launcherPid = Sys.Spawn(LauncherPath, BuildArgs(cgroupProcsFiles, spec.NetworkNamespace), [], fds);
            }
            long spawned = Stopwatch.GetTimestamp();
            var (report, pidReported) = ReadReport(reportRead);
            long execed = Stopwatch.GetTimestamp();
            int launcherExit = Sys.WaitPid(launcherPid);
            var process = ParseReport(report, launcherExit);
            return process with
            {
                LauncherTime = Stopwatch.GetElapsedTime(spawned, pidReported),
                InitTime = Stopwatch.GetElapsedTime(pidReported, execed),
            };
        }
    }

    /// <summary>
    /// Runs a command inside a running container through berth-launcher's exec mode (setns, then clone into
    /// the container's pid namespace). The environment travels as the launcher's own.
    /// </summary>
    public LaunchedProcess LaunchExec(ExecLaunchSpec spec, IReadOnlyList<SafeFileHandle> stdio)
    {
        var args = new List<string> { LauncherPath, "exec", "--pid", Invariant(spec.ContainerPid) };
        foreach (string procs in spec.CgroupProcsFiles)
            args.AddRange(["--cgroup", procs]);
        args.AddRange(["--uid", Invariant(spec.Uid), "--gid", Invariant(spec.Gid), "--cwd", spec.WorkingDir]);
        args.AddRange(["--caps", spec.Capabilities.ToString("x", System.Globalization.CultureInfo.InvariantCulture)]);
        if (spec.AdditionalGids.Count > 0)
            args.AddRange(["--groups", string.Join(',', spec.AdditionalGids.Select(Invariant))]);
        if (spec.NoNewPrivileges)
            args.Add("--no-new-privs");
        if (spec.Terminal)
            args.Add("--tty");
        using var seccomp = spec.SeccompFilter is null ? null : Sys.MemoryFile("berth-seccomp", spec.SeccompFilter);
        if (seccomp is not null)
            args.AddRange(["--seccomp-fd", "4"]);
        args.Add("--");
        args.AddRange(spec.Args);

        var (reportRead, reportWrite) = Sys.Pipe();
        using (reportRead)
        {
            int launcherPid;
            using (reportWrite)
            {
                var fds = new List<int>(stdio.Select(h => (int)h.DangerousGetHandle())) { (int)reportWrite.DangerousGetHandle() };
                if (seccomp is not null)
                    fds.Add((int)seccomp.DangerousGetHandle());
                launcherPid = Sys.Spawn(LauncherPath, args, spec.Env, fds);
            }
            var (report, _) = ReadReport(reportRead);
            return ParseReport(report, Sys.WaitPid(launcherPid));
        }
    }

    private static string Invariant<T>(T value) where T : IFormattable => value.ToString(null, System.Globalization.CultureInfo.InvariantCulture);

    private List<string> BuildArgs(IReadOnlyList<string> cgroupProcsFiles, string? networkNamespace)
    {
        var args = new List<string> { LauncherPath, "run" };
        if (networkNamespace is not null)
            args.AddRange(["--join-net", networkNamespace]);
        foreach (string procs in cgroupProcsFiles)
        {
            args.Add("--cgroup");
            args.Add(procs);
        }
        args.Add("--");
        args.Add(InitPath);
        return args;
    }

    /// <summary>Reads the report pipe to its end; also returns when the first line (the launcher's "pid N") arrived.</summary>
    private static (string Report, long FirstLineAt) ReadReport(SafeFileHandle pipe)
    {
        using var stream = new FileStream(pipe, FileAccess.Read, bufferSize: 0);
        var text = new StringBuilder();
        var buffer = new byte[4096];
        long firstLineAt = 0;
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
            if (firstLineAt == 0 && text.ToString().Contains('\n'))
                firstLineAt = Stopwatch.GetTimestamp();
        }
        return (text.ToString(), firstLineAt == 0 ? Stopwatch.GetTimestamp() : firstLineAt);
    }

    private static LaunchedProcess ParseReport(string report, int launcherExit)
    {
        int pid = 0;
        string? error = null;
        int errorCode = 0;
        foreach (string line in report.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("pid ", StringComparison.Ordinal))
                pid = int.Parse(line.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture);
            else if (line.StartsWith("error ", StringComparison.Ordinal) && error is null)
                (errorCode, error) = ParseError(line);
        }

        // Open the pidfd before anything else: until berthd reaps it, the pid cannot be reused.
        SafeFileHandle? pidfd = pid > 0 ? Sys.PidfdOpen(pid) : null;
        if (error is null && pidfd is not null)
            return new LaunchedProcess(pid, pidfd);

        if (pidfd is not null)
            Sys.WaitPid(pid); // the failed process exits on its own; reap it
        pidfd?.Dispose();
        throw new ContainerStartException(
            error is null ? InitFailedCode : errorCode,
            error ?? $"berth-launcher exited with status {launcherExit} without reporting a process");
    }

    private const int InitFailedCode = 128;

    private static (int Code, string Message) ParseError(string line)
    {
        string rest = line[6..];
        int space = rest.IndexOf(' ');
        if (space > 0 && int.TryParse(rest.AsSpan(0, space), out int code))
            return (code, rest[(space + 1)..]);
        return (InitFailedCode, rest);
    }
}
