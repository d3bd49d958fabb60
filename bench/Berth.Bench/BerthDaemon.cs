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
    private readonly List<(DateTime At, Dictionary<string, double> Ms)> _starts = [];
    private readonly List<string> _log = [];

    private BerthDaemon(Process process, string directory, string cgroupParent)
    {
        _process = process;
        Directory = directory;
        CgroupParent = cgroupParent;
    }

    public string Directory { get; }

    public string SocketPath => Path.Combine(Directory, "berthd.sock");

    public string Host => "unix://" + SocketPath;

    public string CgroupParent { get; }

    public int Pid => _process.Id;

    public int? ExitCode { get; private set; }

    /// <param name="name">its directory in the run's directory and the suffix of its cgroup parent</param>
    /// <param name="env">extra environment (a GC setting for the memory experiment)</param>
    public static BerthDaemon Start(BenchContext context, string name = "berthd", IReadOnlyDictionary<string, string>? env = null)
    {
        string directory = context.Dir(name);
        string cgroupParent = context.Prefix + "-" + name;
        var start = new ProcessStartInfo(Path.Combine(BenchPaths.HelperDirectory, "berthd"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string arg in new[] { "-H", "unix://" + Path.Combine(directory, "berthd.sock"), "--data-root", Path.Combine(directory, "root"),
                     "--cgroup-parent", cgroupParent, "--log-level", "debug" })
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        var daemon = new BerthDaemon(Process.Start(start)!, directory, cgroupParent);
        daemon._process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        daemon._process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        daemon._process.BeginOutputReadLine();
        daemon._process.BeginErrorReadLine();
        WaitForSocket(daemon.SocketPath, () => daemon._process.HasExited ? "berthd exited: " + daemon.LogTail() : null);
        return daemon;
    }

    /// <summary>The StartTimings berthd logged at or after <paramref name="since"/>: one dictionary of stage → ms per start.</summary>
    public List<Dictionary<string, double>> StartTimingsSince(DateTime since)
    {
        lock (_starts)
            return _starts.Where(s => s.At >= since).Select(s => s.Ms).ToList();
    }

    public string LogTail(int lines = 30)
    {
        lock (_log)
            return string.Join('\n', _log.TakeLast(lines));
    }

    /// <summary>SIGTERM, then waits up to 60 s; returns false (and kills it) when it did not stop.</summary>
    public bool Stop()
    {
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
        return true;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            Stop();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        var match = StartedLine().Match(line);
        if (match.Success)
        {
            var ms = new Dictionary<string, double>();
            foreach (Match field in TimingField().Matches(match.Groups[1].Value))
                ms[field.Groups[1].Value] = TimeSpan.Parse(field.Groups[2].Value, CultureInfo.InvariantCulture).TotalMilliseconds;
            lock (_starts)
                _starts.Add((DateTime.UtcNow, ms));
            return;
        }
        lock (_log)
        {
            _log.Add(line);
            if (_log.Count > 2000)
                _log.RemoveRange(0, 1000);
        }
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
            Thread.Sleep(50);
        }
        throw new TimeoutException($"nothing answered on {path} within 60 s");
    }

    [GeneratedRegex(@"Started [0-9a-f]+: StartTimings \{(.*)\}")]
    private static partial Regex StartedLine();

    [GeneratedRegex(@"(\w+) = ([0-9:.]+)")]
    private static partial Regex TimingField();
}
