using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Berth.Api.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Api.Tests.Daemon;

/// <summary>
/// The real berthd under systemd's protocols without systemd as PID 1: systemd-socket-activate (Debian's systemd
/// package) listens and hands the socket over with LISTEN_FDS, a datagram socket stands for NOTIFY_SOCKET; and
/// daemon.json with a SIGHUP reload.
/// </summary>
[NonParallelizable]
public sealed class SystemdServiceTests
{
    private const string Activator = "/usr/bin/systemd-socket-activate";

    [Test]
    public async Task ASocketActivatedDaemonServesThePassedSocketAndNotifiesReadyReloadingAndStopping()
    {
        RootRequirement.Check();
        if (!File.Exists(Activator))
            Assert.Ignore($"{Activator} is missing (Debian's systemd package)");
        string directory = BerthDaemon.NewDataRoot();
        Directory.CreateDirectory(directory);
        string socketPath = Path.Combine(directory, "api.sock");
        string notifyPath = Path.Combine(directory, "notify");
        string config = Path.Combine(directory, "daemon.json");
        File.WriteAllText(config, """{"log-level": "info", "shutdown-timeout": 1}""");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        var start = new ProcessStartInfo(Activator) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["NOTIFY_SOCKET"] = notifyPath;
        foreach (string arg in new[] { "-E", "NOTIFY_SOCKET", "-l", socketPath, "--fdname=berthd.socket", RepositoryPaths.Berthd,
                     "-H", "fd://berthd.socket", "--data-root", Path.Combine(directory, "root"), "--cgroup-parent", "berth-test-" + directory[^12..],
                     "--network-namespace", "none", "--config-file", config })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            while (!File.Exists(socketPath) && !process.HasExited)
                await Task.Delay(20);
            // The first request starts berthd (systemd-socket-activate execs it on the first connection).
            await using (var api = new ApiClient(socketPath))
                Assert.That((await api.GetAsync("/_ping")).Status, Is.EqualTo(200));
            string ready = await ReceiveAsync(notify);
            Assert.That(ready, Does.StartWith("READY=1\nSTATUS=0 containers running, 0 stopped\nMAINPID=" + process.Id));

            File.WriteAllText(config, """{"log-level": "debug", "registry-mirrors": ["https://mirror.example.com"], "shutdown-timeout": 1}""");
            Berth.Interop.Sys.Kill(process.Id, 1);
            Assert.That(await ReceiveAsync(notify), Does.StartWith("RELOADING=1\nMONOTONIC_USEC="));
            Assert.That(await ReceiveAsync(notify), Does.StartWith("READY=1\nSTATUS="));
            // The console logger writes from its own queue: the line may follow the notification.
            string Output()
            {
                lock (output)
                    return output.ToString();
            }
            for (int i = 0; i < 600 && !Output().Contains("SIGHUP: reloaded", StringComparison.Ordinal); i++)
                await Task.Delay(50);
            Assert.That(Output(), Does.Contain("SIGHUP: reloaded the configuration: log-level=Debug").And.Contain("registry-mirrors=[https://mirror.example.com/]"));

            Berth.Interop.Sys.Kill(process.Id, 15);
            Assert.That(await ReceiveAsync(notify), Does.StartWith("STOPPING=1"));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.That(process.ExitCode, Is.Zero, Output());
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            Leaks.DeleteDirectory(directory);
        }
    }

    [Test]
    public async Task ValidateChecksTheFileAndFlagsAndExits()
    {
        RootRequirement.Check();
        string config = Path.Combine(Path.GetTempPath(), "berth-validate-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        try
        {
            File.WriteAllText(config, """{"log-level": "debug"}""");
            Assert.That(await RunAsync("--config-file", config, "--validate"), Is.EqualTo((0, "configuration OK\n")));
            var (code, text) = await RunAsync("--config-file", config, "--log-level", "info", "--validate");
            Assert.That(code, Is.EqualTo(1));
            Assert.That(text, Is.EqualTo("berthd: the following directives are specified both as a flag and in the configuration file: log-level: (from flag: info, from file: debug)\n"));
            File.WriteAllText(config, """{"max-concurrent-downloads": 0}""");
            (code, text) = await RunAsync("--config-file", config, "--validate");
            Assert.That(code, Is.EqualTo(1));
            Assert.That(text, Does.Contain("`max-concurrent-downloads`"));
        }
        finally
        {
            File.Delete(config);
        }
    }

    private static async Task<(int, string)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(RepositoryPaths.Berthd) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        string text = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, text);
    }

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        int n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}
