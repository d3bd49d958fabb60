using System.Text.Json;
using Berth.Common;
using Berth.Engine.Images;
using Berth.TestImages;

namespace Berth.Registry.Tests;

/// <summary>Pushes to a real registry: uploads, HEAD skips, cross-repository mounts, and digests that skopeo and a pull agree on.</summary>
[TestFixture]
public sealed class PushTests
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

    private ImageReference Ref(string pathAndTag) => ImageReference.Parse($"{_registry.Host}/{pathAndTag}");

    private async Task<Image> LoadLayered(ImageStore store, string tagAs)
    {
        await using var archive = File.OpenRead(_images.LayeredDockerArchive);
        var image = (await store.LoadAsync(archive))[0];
        store.Tag(image, Ref(tagAs));
        return store.Find(Ref(tagAs).ToString())!;
    }

    [Test]
    public async Task LoadedImage_PushesWithAStableDigest_ThatSkopeoAndAPullAgreeOn()
    {
        var store = new ImageStore(_storeRoot);
        var image = await LoadLayered(store, "push/stable:v1");
        var progress = new ProgressLog();
        var first = await new ImagePusher(_service, store).PushAsync(Ref("push/stable:v1"), null, progress, CancellationToken.None);
        Assert.That(progress.Statuses[0], Is.EqualTo($"The push refers to repository [{_registry.Host}/push/stable]"));
        Assert.That(progress.Statuses.Count(s => s == "Pushed"), Is.EqualTo(2));
        Assert.That(progress.Statuses[^1], Is.EqualTo($"v1: digest: {first.Digest} size: {first.Size}"));

        var again = new ProgressLog();
        var second = await new ImagePusher(_service, store).PushAsync(Ref("push/stable:v1"), null, again, CancellationToken.None);
        Assert.That(second.Digest, Is.EqualTo(first.Digest), "pushing twice gives the same digest");
        Assert.That(again.Statuses.Count(s => s == "Layer already exists"), Is.EqualTo(2));

        string inspect = RegistryServer.Skopeo(["inspect", "--tls-verify=false", $"docker://{_registry.Host}/push/stable:v1"]);
        Assert.That(JsonDocument.Parse(inspect).RootElement.GetProperty("Digest").GetString(), Is.EqualTo(first.Digest));

        string otherRoot = Directory.CreateTempSubdirectory("berth-registry-store-").FullName;
        try
        {
            var pulled = await new ImagePuller(_service, new ImageStore(otherRoot)).PullAsync(Ref("push/stable:v1"), null, null, new ProgressLog(), CancellationToken.None);
            Assert.That(pulled.Digest, Is.EqualTo(first.Digest));
            Assert.That(pulled.Image.Id, Is.EqualTo(image.Id));
        }
        finally
        {
            Directory.Delete(otherRoot, true);
        }
    }

    [Test]
    public async Task PulledImage_PushedToAnotherRepository_IsMounted_AndKeepsItsDigest()
    {
        _registry.Seed($"oci-archive:{_images.BusyboxOciArchive}:oci", "mount/source:v1");
        var store = new ImageStore(_storeRoot);
        var pulled = await new ImagePuller(_service, store).PullAsync(Ref("mount/source:v1"), null, null, new ProgressLog(), CancellationToken.None);
        store.Tag(pulled.Image, Ref("mount/target:v1"));
        var progress = new ProgressLog();
        var pushed = await new ImagePusher(_service, store).PushAsync(Ref("mount/target:v1"), null, progress, CancellationToken.None);
        Assert.That(progress.Statuses, Does.Contain("Mounted from mount/source"));
        Assert.That(pushed.Digest, Is.EqualTo(pulled.Digest), "the pulled manifest is pushed back unchanged");
    }

    [Test]
    public void MissingImage_IsNotFound()
    {
        var e = Assert.ThrowsAsync<RegistryException>(() => new ImagePusher(_service, new ImageStore(_storeRoot)).PushAsync(Ref("push/none:v1"), null, new ProgressLog(), CancellationToken.None));
        Assert.That(e!.Kind, Is.EqualTo(RegistryErrorKind.NotFound));
        Assert.That(e.Message, Is.EqualTo($"An image does not exist locally with the tag: {_registry.Host}/push/none"));
    }
}
