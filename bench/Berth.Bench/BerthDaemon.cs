using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Berth.Bench;

/// <summary>
/// The published berthd with a private data root, socket and cgroup parent, at log level debug so that each start's
/// <c>StartTimings</c> (overlay mount, cgroup, spec, launcher, init) can be read back. Stopped with SIGTERM, as a
/// user would; it stops its containers and removes its mounts and cgroups itself.
/// </summary>
public sealed partial class BerthDaemon : IDisposable
{
    private readonly Process _process;
    private readonly string _logPath;
    private readonly string _name;

    private BerthDaemon(Process process, string directory, string cgroupParent, string logPath, string name)
    {
        _process = process;
        Directory = directory;
        CgroupParent = cgroupParent;
        _logPath = logPath;
        _name = name;
    }

    public string Directory { get; }

    public string SocketPath => Path.Combine(Directory, "berthd.sock");

    public string Host => "unix://" + SocketPath;

    public string CgroupParent { get; }

    public int Pid => _process.Id;

    public int? ExitCode { get; private set; }

    /// <param name="name">its directory in the run's directory and the suffix of its cgroup parent</param>
    /// <param name="env">extra environment (a GC setting for the memory experiment)</param>
    /// <param name="networkNamespace">berthd's --network-namespace: "none" (no networking), or a namespace the caller made;
    /// null leaves the flag out (a baseline build older than networking has no such flag and no networking)</param>
    /// <param name="binDirectory">where berthd and its helpers are: this checkout's artifacts/bin unless a baseline build's</param>
    /// <param name="liveRestore">containers outlive this berthd (off unless the benchmark is about it: a stop then stops them;
    /// a baseline build gets no flag)</param>
    public static BerthDaemon Start(BenchContext context, string name = "berthd", IReadOnlyDictionary<string, string>? env = null,
        string? networkNamespace = "none", string? binDirectory = null, bool liveRestore = false)
    {
        string directory = context.Dir(name);
        string cgroupParent = context.Prefix + "-" + name;
        string log = Path.Combine(directory, "berthd.log");
        // berthd writes its log to a file, not to a pipe the harness must keep draining (a full pipe would stall it).
        var start = new ProcessStartInfo("sh") { RedirectStandardInput = true };
        foreach (string arg in new[] { "-c", "exec \"$0\" \"$@\" > \"$BERTH_BENCH_LOG\" 2>&1", Path.Combine(binDirectory ?? BenchPaths.HelperDirectory, "berthd"),
                     "-H", "unix://" + Path.Combine(directory, "berthd.sock"), "--data-root", Path.Combine(directory, "root"),
                     "--cgroup-parent", cgroupParent, "--log-level", "debug" })
            start.ArgumentList.Add(arg);
        if (binDirectory is null || liveRestore)
            start.ArgumentList.Add(liveRestore ? "--live-restore" : "--live-restore=false");
        if (networkNamespace is not null)
        {
            start.ArgumentList.Add("--network-namespace");
            start.ArgumentList.Add(networkNamespace);
        }
        start.Environment["BERTH_BENCH_LOG"] = log;
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        var daemon = new BerthDaemon(Process.Start(start)!, directory, cgroupParent, log, name);
        WaitForSocket(daemon.SocketPath, () => daemon._process.HasExited ? "berthd exited: " + daemon.LogTail() : null);
        return daemon;
    }

    /// <summary>
    /// The --network-namespace value that turns networking off for the berthd in <paramref name="binDirectory"/>:
    /// "none", or null for a build from before networking (issue 12), which has no such flag and no networking.
    /// </summary>
    public static string? NoNetworking(string binDirectory)
    {
        var help = Exec.Run([Path.Combine(binDirectory, "berthd"), "--help"], captureStdout: true);
        return (help.Stdout + help.Stderr).Contains("--network-namespace", StringComparison.Ordinal) ? "none" : null;
    }

    /// <summary>The StartTimings berthd logged at or after <paramref name="since"/>: one dictionary of stage → ms per start.</summary>
    public List<Dictionary<string, double>> StartTimingsSince(DateTime since)
    {
        var starts = new List<Dictionary<string, double>>();
        foreach (string line in ReadLog())
        {
            var match = StartedLine().Match(line);
            if (!match.Success || !DateTime.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) || at < since.AddMilliseconds(-1))
                continue;
            var ms = new Dictionary<string, double>();
            foreach (Match field in TimingField().Matches(match.Groups[2].Value))
                ms[field.Groups[1].Value] = TimeSpan.Parse(field.Groups[2].Value, CultureInfo.InvariantCulture).TotalMilliseconds;
            starts.Add(ms);
        }
        return starts;
    }

    /// <summary>The last lines of berthd's log, without the per-request debug lines.</summary>
    public string LogTail(int lines = 30) =>
        string.Join('\n', ReadLog().Where(l => !l.Contains(" dbug: ", StringComparison.Ordinal)).TakeLast(lines));

    /// <summary>Whether berthd is running and answers GET /_ping within 5 s.</summary>
    public string Health()
    {
        if (_process.HasExited)
            return $"berthd exited with {_process.ExitCode}";
        try
        {
            using var api = new EngineApi(SocketPath, 1);
            var ping = api.Client.GetAsync("/_ping");
            return ping.Wait(TimeSpan.FromSeconds(5)) ? "berthd answers" : "berthd is running but does not answer /_ping within 5 s";
        }
        catch (Exception e)
        {
            return "berthd is running but refuses connections: " + (e.InnerException ?? e).Message;
        }
    }

    private List<string> ReadLog()
    {
        try
        {
            using var stream = new FileStream(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var lines = new List<string>();
            while (reader.ReadLine() is { } line)
                lines.Add(line);
            return lines;
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>Keeps berthd's log in bench/results/raw/ (not committed), for a failed or surprising run.</summary>
    private void KeepLog()
    {
        try
        {
            string raw = System.IO.Directory.CreateDirectory(Path.Combine(BenchPaths.ResultsDirectory, "raw")).FullName;
            File.Copy(_logPath, Path.Combine(raw, _name + ".log"), overwrite: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>SIGTERM, then waits up to 60 s; returns false (and kills it) when it did not stop.</summary>
    public bool Stop()
    {
        KeepLog();
        if (_process.HasExited)
        {
            ExitCode = _process.ExitCode;
            return false;
        }
        Berth.Interop.Sys.Kill(_process.Id, 15);
        if (!_process.WaitForExit(60_000))
        {
            _process.Kill();
            _process.WaitForExit();
            ExitCode = null;
            return false;
        }
        _process.WaitForExit();
        ExitCode = _process.ExitCode;
        KeepLog();
        return true;
    }

    /// <summary>kill -9, as a crash: nothing of berthd's shutdown runs.</summary>
    public void Kill()
    {
        KeepLog();
        if (_process.HasExited)
            return;
        Berth.Interop.Sys.Kill(_process.Id, 9);
        _process.WaitForExit();
        ExitCode = null;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            Stop();
        _process.Dispose();
    }

    internal static void WaitForSocket(string path, Func<string?> failed)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (failed() is { } why)
                throw new InvalidOperationException(why);
            if (File.Exists(path))
            {
                using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    socket.Connect(new UnixDomainSocketEndPoint(path));
                    return;
                }
                catch (SocketException)
                {
                }
            }
            Thread.Sleep(2); // 2 ms: the live-restore benchmark times berthd's return by this wait
        }
        throw new TimeoutException($"nothing answered on {path} within 60 s");
    }

    [GeneratedRegex(@"^(\S+) dbug: .*Started [0-9a-f]+: StartTimings \{(.*)\}")]
    private static partial Regex StartedLine();

    [GeneratedRegex(@"(\w+) = ([0-9:.]+)")]
    private static partial Regex TimingField();
}
