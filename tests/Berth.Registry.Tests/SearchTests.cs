using Berth.Api.Tests.Infrastructure;
using Berth.Common;

namespace Berth.Registry.Tests;

/// <summary>
/// `docker search` and `berth search` through berthd against real docker-registry servers: registry 2.x has no v1
/// search API, so berthd searches the catalog and describes each repository by its tags; a registry that wants
/// credentials for its catalog gets the stored ones. Docker Hub's index is not reachable here: only the term's
/// split (which registry a term goes to) is tested for it.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SearchTests
{
    private const string User = "tester";
    private const string Password = "s3cret";
    private RegistryServer _registry = null!;
    private RegistryServer _authRegistry = null!;
    private BerthDaemon _daemon = null!;
    private DockerCli _docker = null!;
    private DockerCli _berth = null!;
    private string _work = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        DockerCli.Require();
        RootRequirement.Check();
        var images = TestImages.TestImages.Ensure();
        _work = Directory.CreateTempSubdirectory("berth-search-").FullName;
        string htpasswd = Path.Combine(_work, "htpasswd");
        File.WriteAllText(htpasswd, DockerCliTests.Run("htpasswd", "-Bbn", User, Password));
        _registry = RegistryServer.Start();
        string oci = $"oci-archive:{images.BusyboxOciArchive}:oci";
        _registry.Seed(oci, "tools/bb:v1");
        _registry.Seed(oci, "tools/bb:run");
        _registry.Seed(oci, "apps/web:1.0");
        _authRegistry = RegistryServer.Start(htpasswd: htpasswd);
        _authRegistry.Seed(oci, "private/bb:v1", credentials: $"{User}:{Password}");
        _daemon = await BerthDaemon.StartAsync();
        string dockerConfig = Directory.CreateDirectory(Path.Combine(_work, "docker-config")).FullName;
        string berthConfig = Directory.CreateDirectory(Path.Combine(_work, "berth-config")).FullName;
        _docker = new DockerCli(_daemon.SocketPath, dockerConfig);
        _berth = new DockerCli(_daemon.SocketPath, berthConfig, Path.Combine(RepositoryPaths.BinDirectory, "berth"));
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_daemon is not null)
            await _daemon.DisposeAsync();
        _authRegistry?.Dispose();
        _registry?.Dispose();
        if (_work is not null)
            Directory.Delete(_work, true);
    }

    [TestCase("busybox", "docker.io", "busybox")]
    [TestCase("library/busybox", "docker.io", "busybox")]
    [TestCase("user/app", "docker.io", "user/app")]
    [TestCase("docker.io/library/redis", "docker.io", "redis")]
    [TestCase("index.docker.io/user/app", "docker.io", "user/app")]
    [TestCase("localhost/app", "localhost", "app")]
    [TestCase("127.0.0.1:5000/tools/bb", "127.0.0.1:5000", "tools/bb")]
    [TestCase("registry.example.com/library/x", "registry.example.com", "library/x")]
    public void A_term_goes_to_the_registry_moby_would_search(string term, string domain, string query) =>
        Assert.That(SearchTerm.Split(term), Is.EqualTo((domain, query)));

    [Test]
    public async Task Docker_search_of_a_private_registry_lists_the_matching_repositories_with_their_tags()
    {
        var search = await _docker.RunAsync("search", $"{_registry.Host}/bb");
        Assert.That(search.ExitCode, Is.Zero, search.ToString());
        var lines = search.Stdout.TrimEnd('\n').Split('\n');
        Assert.That(lines[0], Does.Match(@"^NAME\s+DESCRIPTION\s+STARS\s+OFFICIAL$"), search.ToString());
        Assert.That(lines.Skip(1).ToArray(), Has.Length.EqualTo(1), search.ToString());
        Assert.That(lines[1], Does.Match($@"^{_registry.Host}/tools/bb\s+tags: run, v1\s+0\s*$"), search.ToString());

        var all = await _docker.RunAsync("search", "--format", "{{.Name}}", $"{_registry.Host}/");
        Assert.That(all.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EquivalentTo(new[] { $"{_registry.Host}/apps/web", $"{_registry.Host}/tools/bb" }), all.ToString());
        var limited = await _docker.RunAsync("search", "--limit", "1", "--format", "{{.Name}}", $"{_registry.Host}/");
        Assert.That(limited.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), limited.ToString());
        var official = await _docker.RunAsync("search", "--filter", "is-official=true", "--format", "{{.Name}}", $"{_registry.Host}/");
        Assert.That(official.Stdout, Is.Empty, official.ToString());
        var starred = await _docker.RunAsync("search", "--filter", "stars=0", "--format", "{{.Name}}", $"{_registry.Host}/web");
        Assert.That(starred.Stdout, Is.EqualTo($"{_registry.Host}/apps/web\n"), starred.ToString());
    }

    [Test]
    public async Task Bad_filters_and_limits_are_the_clients_mistake()
    {
        var filter = await _docker.RunAsync("search", "--filter", "colour=red", $"{_registry.Host}/bb");
        Assert.That(filter.ExitCode, Is.Not.Zero);
        Assert.That(filter.Stderr, Does.Contain("invalid filter 'colour'"), filter.ToString());
        var stars = await _docker.RunAsync("search", "--filter", "stars=many", $"{_registry.Host}/bb");
        Assert.That(stars.Stderr, Does.Contain("invalid filter 'stars=many'"), stars.ToString());
        var limit = await _docker.RunAsync("search", "--limit", "101", $"{_registry.Host}/bb");
        Assert.That(limit.ExitCode, Is.Not.Zero);
        Assert.That(limit.Stderr, Does.Contain("limit 101 is outside the range of [1, 100]"), limit.ToString());
    }

    [Test]
    public async Task A_catalog_behind_a_password_needs_the_login_berth_search_sends_it()
    {
        string server = _authRegistry.Host;
        var anonymous = await _berth.RunAsync("search", $"{server}/bb");
        Assert.That(anonymous.ExitCode, Is.Not.Zero, anonymous.ToString());
        Assert.That(anonymous.Stderr, Does.Contain($"{server} refused to list its repositories"), anonymous.ToString());

        var login = await _berth.RunAsync(Password + "\n", DockerCli.DefaultTimeout, "login", "-u", User, "--password-stdin", server);
        Assert.That(login.ExitCode, Is.Zero, login.ToString());
        var search = await _berth.RunAsync("search", "--no-trunc", $"{server}/bb");
        Assert.That(search.ExitCode, Is.Zero, search.ToString());
        Assert.That(search.Stdout, Does.Match($@"{server}/private/bb\s+tags: v1"), search.ToString());
        var json = await _berth.RunAsync("search", "--format", "json", $"{server}/bb");
        Assert.That(json.Stdout.Trim(), Is.EqualTo($$"""{"Description":"tags: v1","IsAutomated":"","IsOfficial":"","Name":"{{server}}/private/bb","StarCount":"0"}"""), json.ToString());
    }
}
