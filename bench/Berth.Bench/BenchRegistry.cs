using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Berth.Bench;

/// <summary>
/// Debian's docker-registry (2.8) on a free loopback port with filesystem storage in a private directory, as the
/// registry tests start it (plain HTTP: every engine allows loopback); killed and its storage deleted on Dispose.
/// </summary>
public sealed class BenchRegistry : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private BenchRegistry(string directory, int port, Process process)
    {
        _directory = directory;
        Port = port;
        _process = process;
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    public static bool IsInstalled => Exec.OnPath("docker-registry") && Exec.OnPath("skopeo");

    public static BenchRegistry Start(BenchContext context, string name)
    {
        string directory = context.Dir(name);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        string config = Path.Combine(directory, "config.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: error
            storage:
              filesystem:
                rootdirectory: {Path.Combine(directory, "data")}
            http:
              addr: 127.0.0.1:{port}
            """);
        var process = Process.Start(new ProcessStartInfo("docker-registry", ["serve", config]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var registry = new BenchRegistry(directory, port, process);
        for (int i = 0; i < 200 && !process.HasExited; i++)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return registry;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        registry.Dispose();
        throw new InvalidOperationException("docker-registry did not start listening on " + registry.Host);
    }

    /// <summary>Copies an image into the registry with skopeo (untimed set-up).</summary>
    public void Seed(string source, string repositoryAndTag) =>
        Exec.Checked("skopeo", "copy", "--quiet", "--dest-tls-verify=false", source, $"docker://{Host}/{repositoryAndTag}");

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
