using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Berth.Interop;
using NUnit.Framework;

namespace Berth.Api.Tests.Infrastructure;

/// <summary>
/// The published berthd (artifacts/bin/berthd) as a child process, on a private data root under /var/tmp, a private
/// socket and a private cgroup parent. <see cref="DisposeAsync"/> stops it with SIGTERM, asserts that it exited 0 and
/// left no mount under the data root and no cgroup parent, then deletes the data root.
/// </summary>
public sealed class BerthDaemon : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);
    private readonly StringBuilder _log = new();
    private readonly bool _ownsDataRoot;

    private BerthDaemon(Process process, string dataRoot, string socketPath, string cgroupParent, bool ownsDataRoot)
    {
        Process = process;
        DataRoot = dataRoot;
        SocketPath = socketPath;
        CgroupParent = cgroupParent;
        _ownsDataRoot = ownsDataRoot;
    }

    public Process Process { get; }

    public string DataRoot { get; }

    public string SocketPath { get; }

    public string CgroupParent { get; }

    public int Pid => Process.Id;

    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    /// <summary>A fresh data root path (not created), unique to the test run.</summary>
    public static string NewDataRoot() =>
        Path.Combine(BaseDirectory, "berth-api-test-" + Guid.NewGuid().ToString("N")[..12]);

    private static string BaseDirectory =>
        Environment.GetEnvironmentVariable("BERTH_TEST_DATA_BASE") is { Length: > 0 } b ? b : "/var/tmp";

    /// <summary>Starts berthd and waits until its socket answers. With <paramref name="dataRoot"/>, reuses that data root (and does not delete it).</summary>
    public static async Task<BerthDaemon> StartAsync(string? dataRoot = null, string? cgroupParent = null, IReadOnlyList<string>? extraArguments = null)
    {
        RootRequirement.Check();
        if (!File.Exists(RepositoryPaths.Berthd))
            Assert.Fail($"{RepositoryPaths.Berthd} is missing: build it with `make`");
        bool owns = dataRoot is null;
        dataRoot ??= NewDataRoot();
        cgroupParent ??= "berth-test-" + Path.GetFileName(dataRoot)[^12..];
        string socket = Path.Combine(dataRoot + ".run", "berthd-" + Guid.NewGuid().ToString("N")[..6] + ".sock");
        var process = Spawn(dataRoot, socket, cgroupParent, extraArguments);
        var daemon = new BerthDaemon(process, dataRoot, socket, cgroupParent, owns);
        daemon.Capture();
        await daemon.WaitForSocketAsync();
        return daemon;
    }

    /// <summary>Starts a berthd that is expected to fail (for example on a locked data root) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string dataRoot, TimeSpan timeout)
    {
        string socket = Path.Combine(dataRoot + ".run", "second-" + Guid.NewGuid().ToString("N")[..6] + ".sock");
        using var process = Spawn(dataRoot, socket, "berth-test-second");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the second berthd did not exit");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private static Process Spawn(string dataRoot, string socket, string cgroupParent, IReadOnlyList<string>? extraArguments = null)
    {
        var start = new ProcessStartInfo(RepositoryPaths.Berthd)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "-H", "unix://" + socket, "--data-root", dataRoot, "--cgroup-parent", cgroupParent, "--log-level", "debug" })
            start.ArgumentList.Add(arg);
        foreach (string arg in extraArguments ?? [])
            start.ArgumentList.Add(arg);
        // berthd's networking is on by default, in its own namespace: a test daemon never touches the host's, so it
        // runs without unless the test gives it a namespace of its own.
        if (!start.ArgumentList.Contains("--network-namespace"))
            start.ArgumentList.Add("--network-namespace=none");
        // Live restore (on by default) leaves containers running at a stop: a test daemon stops them, unless the test is about it.
        if (!start.ArgumentList.Any(a => a.StartsWith("--live-restore", StringComparison.Ordinal)))
            start.ArgumentList.Add("--live-restore=false");
        // dockerd's 15 s shutdown grace would make every test daemon stopped with a `sleep` running wait it out.
        if (!start.ArgumentList.Any(a => a.StartsWith("--shutdown-timeout", StringComparison.Ordinal)))
            start.ArgumentList.Add("--shutdown-timeout=1");
        start.Environment["BERTH_HELPER_DIR"] = RepositoryPaths.BinDirectory;
        return Process.Start(start) ?? throw new InvalidOperationException("berthd did not start");
    }

    private void Capture()
    {
        Process.OutputDataReceived += (_, e) => Append(e.Data);
        Process.ErrorDataReceived += (_, e) => Append(e.Data);
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_log)
            _log.AppendLine(line);
    }

    private async Task WaitForSocketAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Process.HasExited)
                Assert.Fail($"berthd exited with {Process.ExitCode} at start:\n{Log}");
            if (File.Exists(SocketPath))
            {
                using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
                    return;
                }
                catch (SocketException)
                {
                }
            }
            await Task.Delay(50);
        }
        Process.Kill(entireProcessTree: true);
        Assert.Fail($"berthd did not open {SocketPath} within {StartTimeout}:\n{Log}");
    }

    public ApiClient Client() => new(SocketPath);

    /// <summary>SIGTERM, then waits for the exit; returns the exit code (SIGKILL and a failure after the timeout).</summary>
    public async Task<int> StopAsync()
    {
        if (!Process.HasExited)
            Sys.Kill(Process.Id, 15);
        using var cts = new CancellationTokenSource(StopTimeout);
        try
        {
            await Process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
            Assert.Fail($"berthd did not stop within {StopTimeout} of SIGTERM:\n{Log}");
        }
        return Process.ExitCode;
    }

    /// <summary>kill -9: no shutdown at all, as after a crash.</summary>
    public async Task KillHardAsync()
    {
        Sys.Kill(Process.Id, 9);
        await Process.WaitForExitAsync();
    }

    /// <summary>Stops the daemon (if it runs), asserts a clean exit and no leak, and deletes the data root it created.</summary>
    public async ValueTask DisposeAsync()
    {
        bool wasRunning = !Process.HasExited;
        int exitCode = await StopAsync();
        var mounts = Leaks.MountsUnder(DataRoot);
        var cgroups = Leaks.CgroupDirectories(CgroupParent);
        try
        {
            if (wasRunning)
                Assert.That(exitCode, Is.Zero, $"berthd exit code after SIGTERM\n{Log}");
            Assert.That(mounts, Is.Empty, "mounts left under the data root");
            Assert.That(cgroups, Is.Empty, "cgroup parent directories left");
            Assert.That(File.Exists(SocketPath), Is.False, "socket file left");
        }
        finally
        {
            foreach (string mount in mounts.AsEnumerable().Reverse())
                Sys.TryUnmount(mount, Libc.MNT_DETACH);
            if (_ownsDataRoot)
            {
                Leaks.DeleteDirectory(DataRoot);
                Leaks.DeleteDirectory(DataRoot + ".run");
            }
            Process.Dispose();
        }
    }
}
