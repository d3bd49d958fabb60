using System.Net.Http.Headers;
using System.Text;
using Berth.Common;
using Berth.Engine.Images;
using Berth.TestImages;

namespace Berth.Registry.Tests;

/// <summary>Pulls from a real registry (plain HTTP on loopback) seeded with skopeo, into a fresh image store per test.</summary>
[TestFixture]
public sealed class PullTests
{
    private RegistryServer _registry = null!;
    private TestImageSet _images = null!;
    private string _storeRoot = null!;
    private RegistryService _service = null!;

    [OneTimeSetUp]
    public void StartRegistry()
    {
        _images = TestImages.TestImages.Ensure();
        _registry = RegistryServer.Start();
        _registry.Seed($"docker-archive:{_images.LayeredDockerArchive}", "test/layers:v1");
        _registry.Seed($"oci-archive:{_images.BusyboxOciArchive}:oci", "test/oci:v1");
        _registry.Seed($"oci-archive:{_images.BusyboxZstdOciArchive}:zstd", "test/zstd:v1");
    }

    [OneTimeTearDown]
    public void StopRegistry() => _registry.Dispose();

    [SetUp]
    public void CreateStore()
    {
        _storeRoot = Directory.CreateTempSubdirectory("berth-registry-store-").FullName;
        _service = new RegistryService(new RegistryOptions { RetryDelay = TimeSpan.FromMilliseconds(50) });
    }

    [TearDown]
    public void DeleteStore()
    {
        _service.Dispose();
        Directory.Delete(_storeRoot, true);
    }

    private ImageStore Store() => new(_storeRoot);

    private ImageReference Ref(string pathAndTag) => ImageReference.Parse($"{_registry.Host}/{pathAndTag}");

    [Test]
    public async Task PullByTag_StoresImageWithTagAndRepoDigest_AndReportsDockerProgress()
    {
        var store = Store();
        var progress = new ProgressLog();
        var result = await new ImagePuller(_service, store).PullAsync(Ref("test/layers:v1"), null, null, progress, CancellationToken.None);

        string digest = ManifestDigest("test/layers", "v1");
        Assert.That(result.Digest, Is.EqualTo(digest));
        var image = store.Find($"{_registry.Host}/test/layers:v1");
        Assert.That(image, Is.Not.Null);
        Assert.That(image!.RepoTags, Is.EqualTo(new[] { $"{_registry.Host}/test/layers:v1" }));
        Assert.That(image.RepoDigests, Is.EqualTo(new[] { $"{_registry.Host}/test/layers@{digest}" }));
        Assert.That(image.DiffIds, Has.Count.EqualTo(2));
        Assert.That(File.Exists(Path.Combine(store.GetLayerDirectories(image)[^1], "bin", "busybox")), Is.True);
        Assert.That(progress.Statuses, Does.Contain("Pulling from test/layers"));
        Assert.That(progress.Statuses.Count(s => s == "Pull complete"), Is.EqualTo(2));
        Assert.That(progress.Statuses, Does.Contain("Downloading"));
        Assert.That(progress.Statuses, Does.Contain($"Digest: {digest}"));
        Assert.That(progress.Statuses[^1], Is.EqualTo($"Status: Downloaded newer image for {_registry.Host}/test/layers:v1"));
        AssertNoTemporaries();
    }

    [Test]
    public async Task SecondPull_IsUpToDate_AndFetchesNoLayer()
    {
        var store = Store();
        await new ImagePuller(_service, store).PullAsync(Ref("test/layers:v1"), null, null, new ProgressLog(), CancellationToken.None);
        var progress = new ProgressLog();
        var result = await new ImagePuller(_service, store).PullAsync(Ref("test/layers:v1"), null, null, progress, CancellationToken.None);
        Assert.That(result.Changed, Is.False);
        Assert.That(progress.Statuses.Count(s => s == "Already exists"), Is.EqualTo(2));
        Assert.That(progress.Statuses, Does.Not.Contain("Downloading"));
        Assert.That(progress.Statuses[^1], Is.EqualTo($"Status: Image is up to date for {_registry.Host}/test/layers:v1"));
    }

    [Test]
    public async Task PullByDigest_KeepsOnlyTheDigestReference_AndStoreSurvivesReopen()
    {
        string digest = ManifestDigest("test/oci", "v1");
        var result = await new ImagePuller(_service, Store()).PullAsync(Ref($"test/oci@{digest}"), null, null, new ProgressLog(), CancellationToken.None);
        var reopened = Store();
        var image = reopened.Find($"{_registry.Host}/test/oci@{digest}");
        Assert.That(image?.Id, Is.EqualTo(result.Image.Id));
        Assert.That(image!.RepoTags, Is.Empty);
        Assert.That(image.ManifestDigest, Is.EqualTo(digest));
    }

    [Test]
    public async Task PullsZstdLayers()
    {
        var result = await new ImagePuller(_service, Store()).PullAsync(Ref("test/zstd:v1"), null, null, new ProgressLog(), CancellationToken.None);
        Assert.That(result.Image.DiffIds, Has.Count.EqualTo(1));
    }

    [Test]
    public void MissingTag_IsNotFound()
    {
        var e = Assert.ThrowsAsync<RegistryException>(() => new ImagePuller(_service, Store()).PullAsync(Ref("test/layers:nope"), null, null, new ProgressLog(), CancellationToken.None));
        Assert.That(e!.Kind, Is.EqualTo(RegistryErrorKind.NotFound));
        Assert.That(e.Message, Does.Contain("manifest unknown"));
    }

    [Test]
    public async Task MultiArchIndex_PicksLinuxAmd64()
    {
        string amd64 = ManifestDigest("test/layers", "v1");
        // The arm64 entry is another image: copy its blobs into test/multi by pushing it there too.
        _registry.Seed($"oci-archive:{_images.BusyboxOciArchive}:oci", "test/multi:arm");
        _registry.Seed($"docker-archive:{_images.LayeredDockerArchive}", "test/multi:amd");
        string arm64 = ManifestDigest("test/multi", "arm");
        string index = $$$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
            {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{arm64}}}","size":{{{ManifestBytes("test/multi", "arm").Length}}},"platform":{"architecture":"arm64","os":"linux","variant":"v8"}},
            {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"{{{amd64}}}","size":{{{ManifestBytes("test/multi", "amd").Length}}},"platform":{"architecture":"amd64","os":"linux"}}]}
            """;
        using var http = new HttpClient();
        var content = new StringContent(index, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.index.v1+json");
        (await http.PutAsync($"http://{_registry.Host}/v2/test/multi/manifests/multi", content)).EnsureSuccessStatusCode();

        var store = Store();
        var result = await new ImagePuller(_service, store).PullAsync(Ref("test/multi:multi"), null, null, new ProgressLog(), CancellationToken.None);
        Assert.That(result.Image.DiffIds, Has.Count.EqualTo(2), "the amd64 entry is the two-layer image");
        Assert.That(result.Digest, Is.EqualTo(Berth.Engine.Images.Digest.Of(Encoding.UTF8.GetBytes(index))), "the repo digest is the index's");
        Assert.That(result.Image.ManifestDigest, Is.EqualTo(amd64));
    }

    [Test]
    public void CorruptedBlob_IsRejected_AndNothingIsStored()
    {
        using var registry = RegistryServer.Start();
        registry.Seed($"oci-archive:{_images.BusyboxOciArchive}:oci", "test/corrupt:v1");
        var manifest = System.Text.Json.JsonDocument.Parse(RegistryManifest(registry, "test/corrupt", "v1"));
        string layer = manifest.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString()!;
        string hex = layer["sha256:".Length..];
        string data = Path.Combine(registry.Directory, "data", "docker", "registry", "v2", "blobs", "sha256", hex[..2], hex, "data");
        byte[] bytes = File.ReadAllBytes(data);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(data, bytes);

        var store = Store();
        var e = Assert.ThrowsAsync<RegistryException>(() => new ImagePuller(_service, store).PullAsync(ImageReference.Parse($"{registry.Host}/test/corrupt:v1"), null, null, new ProgressLog(), CancellationToken.None));
        Assert.That(e!.Message, Does.Contain(layer));
        Assert.That(store.List(), Is.Empty);
        Assert.That(Directory.EnumerateFileSystemEntries(Path.Combine(_storeRoot, "layers")), Is.Empty);
        Assert.That(Directory.EnumerateFiles(Path.Combine(_storeRoot, "blobs", "sha256")), Is.Empty);
    }

    [Test]
    public void StoppedRegistry_FailsWithinRetries_AndLeavesNothing()
    {
        var registry = RegistryServer.Start();
        string host = registry.Host;
        registry.Dispose();
        var store = Store();
        var e = Assert.ThrowsAsync<RegistryException>(() => new ImagePuller(_service, store).PullAsync(ImageReference.Parse($"{host}/test/gone:v1"), null, null, new ProgressLog(), CancellationToken.None));
        Assert.That(e!.Kind, Is.EqualTo(RegistryErrorKind.Unavailable));
        Assert.That(store.List(), Is.Empty);
    }

    private void AssertNoTemporaries()
    {
        foreach (string directory in new[] { Path.Combine(_storeRoot, "layers"), Path.Combine(_storeRoot, "blobs", "sha256") })
            Assert.That(Directory.EnumerateFileSystemEntries(directory, ".tmp-*"), Is.Empty, directory);
    }

    private string ManifestDigest(string repository, string tag) => Berth.Engine.Images.Digest.Of(ManifestBytes(repository, tag));

    private byte[] ManifestBytes(string repository, string tag) => RegistryManifest(_registry, repository, tag);

    internal static byte[] RegistryManifest(RegistryServer registry, string repository, string tag)
    {
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://{registry.Host}/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.index.v1+json");
        var response = http.Send(request);
        response.EnsureSuccessStatusCode();
        return response.Content.ReadAsByteArrayAsync().Result;
    }
}
