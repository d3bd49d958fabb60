using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Berth.Registry.Tests;

/// <summary>
/// Debian's docker-registry (2.8) serving one temp directory on a free loopback port, optionally with htpasswd
/// Basic auth or TLS; killed and deleted on Dispose.
/// </summary>
public sealed class RegistryServer : IDisposable
{
    private readonly Process _process;

    private RegistryServer(string directory, int port, Process process, bool tls)
    {
        Directory = directory;
        Port = port;
        _process = process;
        Tls = tls;
    }

    public string Directory { get; }

    public int Port { get; }

    public bool Tls { get; }

    /// <summary>The reference domain: <c>127.0.0.1:PORT</c>.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public static RegistryServer Start(string? htpasswd = null, (string Cert, string Key)? tls = null)
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("berth-registry-test-").FullName;
        for (int attempt = 0; ; attempt++)
        {
            int port = FreePort();
            string config = Path.Combine(directory, "config.yml");
            File.WriteAllText(config, $"""
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: {Path.Combine(directory, "data")}
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:{port}
                {(tls is { } t ? $"  tls:\n    certificate: {t.Cert}\n    key: {t.Key}\n" : "")}{(htpasswd is null ? "" : $"auth:\n  htpasswd:\n    realm: basic-realm\n    path: {htpasswd}\n")}
                """);
            var process = Process.Start(new ProcessStartInfo("docker-registry", ["serve", config])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) TestContext.Progress.WriteLine("registry: " + e.Data); };
            process.OutputDataReceived += (_, e) => { };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var server = new RegistryServer(directory, port, process, tls is not null);
            if (server.WaitUntilListening())
                return server;
            server.Kill();
            if (attempt == 3)
            {
                System.IO.Directory.Delete(directory, true);
                throw new InvalidOperationException("docker-registry did not start (is the docker-registry package installed?)");
            }
        }
    }

    /// <summary>Pushes a local archive into the registry with skopeo: <c>docker-archive:</c> or <c>oci-archive:</c>.</summary>
    public void Seed(string source, string repositoryAndTag, string? credentials = null)
    {
        var args = new List<string> { "copy", "--quiet", "--dest-tls-verify=false" };
        if (credentials is not null)
            args.AddRange(["--dest-creds", credentials]);
        args.AddRange([source, $"docker://{Host}/{repositoryAndTag}"]);
        Skopeo(args);
    }

    public static string Skopeo(IEnumerable<string> args)
    {
        var process = Process.Start(new ProcessStartInfo("skopeo", args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"skopeo {string.Join(' ', args)} failed: {stderr}");
        return stdout.Result;
    }

    /// <summary>Stops the registry (as a crash would: SIGKILL) but keeps its storage.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        System.IO.Directory.Delete(Directory, true);
    }

    private bool WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        return false;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
