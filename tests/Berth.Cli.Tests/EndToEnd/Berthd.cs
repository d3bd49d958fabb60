using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using NUnit.Framework;

namespace Berth.Cli.Tests.EndToEnd;

/// <summary>
/// The published berthd as a child process with a private data root under /var/tmp, a private socket and a
/// private cgroup parent berth-test-&lt;random&gt;. <see cref="DisposeAsync"/> stops it with SIGTERM, asserts exit 0
/// and that nothing is left: no mount under the data root, no cgroup parent, no socket; then deletes the directory.
/// </summary>
internal sealed class Berthd : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private Berthd(Process process, string directory, string cgroupParent)
    {
        _process = process;
        Directory = directory;
        CgroupParent = cgroupParent;
    }

    public string Directory { get; }

    public string DataRoot => Path.Combine(Directory, "root");

    public string SocketPath => Path.Combine(Directory, "berthd.sock");

    public string Host => "unix://" + SocketPath;

    public string CgroupParent { get; }

    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    /// <param name="networkNamespace">Where berthd's networking lives: "none" (no networks), or the path of a namespace the test created.</param>
    /// <param name="liveRestore">Containers outlive this berthd (off in tests unless the test is about it: a stop then stops them).</param>
    public static async Task<Berthd> StartAsync(string networkNamespace = "none", bool liveRestore = false)
    {
        if (Environment.UserName != "root")
            Assert.Ignore("skipped: needs root, berthd creates real containers, mounts and cgroups");
        string bin = Path.Combine(CliProcess.RepositoryRoot, "artifacts", "bin");
        string berthd = Path.Combine(bin, "berthd");
        if (!File.Exists(berthd))
            Assert.Fail($"{berthd} is missing: run `make` first");
        string random = Guid.NewGuid().ToString("N")[..12];
        string directory = System.IO.Directory.CreateDirectory(Path.Combine("/var/tmp", "berth-cli-test-" + random)).FullName;
        string cgroupParent = "berth-test-" + random;
        var start = new ProcessStartInfo(berthd) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string arg in new[] { "-H", "unix://" + Path.Combine(directory, "berthd.sock"), "--data-root", Path.Combine(directory, "root"), "--cgroup-parent", cgroupParent, "--network-namespace", networkNamespace, "--shutdown-timeout", "1", liveRestore ? "--live-restore" : "--live-restore=false" })
            start.ArgumentList.Add(arg);
        start.Environment["BERTH_HELPER_DIR"] = bin;
        var daemon = new Berthd(Process.Start(start)!, directory, cgroupParent);
        daemon._process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        daemon._process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        daemon._process.BeginOutputReadLine();
        daemon._process.BeginErrorReadLine();
        await daemon.WaitForSocketAsync();
        return daemon;
    }

    public async ValueTask DisposeAsync()
    {
        bool running = !_process.HasExited;
        if (running)
            Signals.Send(_process.Id, Signals.SIGTERM);
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            Assert.Fail($"berthd did not stop within 60 s of SIGTERM\n{Log}");
        }
        var mounts = File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4]).Where(m => m.StartsWith(Directory + "/", StringComparison.Ordinal)).ToList();
        var cgroups = CgroupDirectories(CgroupParent);
        bool socketLeft = File.Exists(SocketPath);
        try
        {
            if (running)
                Assert.That(_process.ExitCode, Is.Zero, $"berthd's exit code after SIGTERM\n{Log}");
            Assert.That(mounts, Is.Empty, "mounts left under the data root");
            Assert.That(cgroups, Is.Empty, "cgroup directories left");
            Assert.That(socketLeft, Is.False, "socket file left");
        }
        finally
        {
            _process.Dispose();
            if (mounts.Count == 0)
                System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
            lock (_log)
                _log.AppendLine(line);
    }

    private async Task WaitForSocketAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                Assert.Fail($"berthd exited with {_process.ExitCode} at start:\n{Log}");
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
        _process.Kill(entireProcessTree: true);
        Assert.Fail($"berthd did not open {SocketPath} within 30 s:\n{Log}");
    }

    /// <summary>Directories named <paramref name="name"/> in any cgroup hierarchy.</summary>
    private static List<string> CgroupDirectories(string name)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MaxRecursionDepth = 8, AttributesToSkip = FileAttributes.ReparsePoint };
        var found = new List<string>();
        foreach (string root in System.IO.Directory.EnumerateDirectories("/sys/fs/cgroup"))
        {
            try
            {
                found.AddRange(System.IO.Directory.EnumerateDirectories(root, name, options));
            }
            catch (IOException)
            {
            }
        }
        return found;
    }
}
