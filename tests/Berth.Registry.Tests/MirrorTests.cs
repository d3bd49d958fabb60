using System.Net;
using System.Net.Sockets;
using Berth.Api.Tests.Infrastructure;

namespace Berth.Registry.Tests;

/// <summary>
/// `berthd --registry-mirror`: docker.io pulls go to the mirrors first, in order, skipping one that is down. Two local
/// endpoints stand in: a port nothing listens on, then a docker-registry holding <c>library/bb:v1</c>. No test reaches
/// Docker Hub: every pull here is served by the second mirror.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class MirrorTests
{
    private RegistryServer _mirror = null!;
    private BerthDaemon _daemon = null!;
    private DockerCli _docker = null!;
    private string _config = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        DockerCli.Require();
        RootRequirement.Check();
        var images = TestImages.TestImages.Ensure();
        _mirror = RegistryServer.Start();
        _mirror.Seed($"oci-archive:{images.BusyboxOciArchive}:oci", "library/bb:v1");
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int dead = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        _daemon = await BerthDaemon.StartAsync(extraArguments: ["--registry-mirror", $"http://127.0.0.1:{dead}", "--registry-mirror", $"http://{_mirror.Host}/"]);
        _config = Directory.CreateTempSubdirectory("berth-mirror-cli-").FullName;
        _docker = new DockerCli(_daemon.SocketPath, _config);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_daemon is not null)
            await _daemon.DisposeAsync();
        _mirror?.Dispose();
        if (_config is not null)
            Directory.Delete(_config, true);
    }

    [Test]
    public async Task A_docker_io_pull_is_served_by_the_first_mirror_that_answers()
    {
        var pull = await _docker.RunAsync("pull", "bb:v1");
        Assert.That(pull.ExitCode, Is.Zero, pull.ToString());
        Assert.That(pull.Stdout, Does.Contain("Status: Downloaded newer image for bb:v1"));
        var images = await _docker.RunAsync("images", "--format", "{{.Repository}}:{{.Tag}}", "bb");
        Assert.That(images.Stdout, Is.EqualTo("bb:v1\n"), images.ToString());
        var run = await _docker.RunAsync("run", "--rm", "--network", "none", "bb:v1", "echo", "mirrored");
        Assert.That(run.Stdout, Is.EqualTo("mirrored\n"), run.ToString());
        Assert.That((await _docker.RunAsync("rmi", "bb:v1")).ExitCode, Is.Zero);
    }

    [Test]
    public async Task Other_registries_never_go_through_the_mirror()
    {
        var pull = await _docker.RunAsync("pull", $"{_mirror.Host}/library/bb:v1");
        Assert.That(pull.ExitCode, Is.Zero, pull.ToString());
        Assert.That((await _docker.RunAsync("rmi", $"{_mirror.Host}/library/bb:v1")).ExitCode, Is.Zero);
    }

    [Test]
    public async Task A_bad_mirror_url_stops_berthd_at_start()
    {
        var start = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(RepositoryPaths.Berthd, ["--registry-mirror", "ftp://x/y", "--data-root", "/nonexistent/berth-mirror-test"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        string stderr = await start.StandardError.ReadToEndAsync();
        await start.WaitForExitAsync();
        Assert.That(start.ExitCode, Is.EqualTo(1));
        // The flag and daemon.json's key share one check (Config/DaemonSettings): the message names the setting and the value.
        Assert.That(stderr, Does.Contain("invalid `registry-mirrors` entry `ftp://x/y`"));
    }
}
