using System.Text;
using System.Text.Json;
using Berth.Engine.Images;
using NUnit.Framework;

namespace Berth.Engine.Tests.Images;

/// <summary>Parsing configs, manifests and indexes as real images write them, nulls and odd values included.</summary>
public sealed class ImageJsonTests
{
    [Test]
    public void FullConfig()
    {
        const string json = """
            {"architecture":"amd64","os":"linux","created":"2024-09-26T21:31:42.123456789Z","author":"me",
             "config":{"User":"1000:1000","ExposedPorts":{"80/tcp":{},"53/udp":{}},"Env":["PATH=/bin","A=b"],
               "Entrypoint":["/entry"],"Cmd":["-x"],"Volumes":{"/data":{}},"WorkingDir":"/srv",
               "Labels":{"org.example":"yes"},"StopSignal":"SIGQUIT",
               "Healthcheck":{"Test":["CMD","true"],"Interval":30000000000,"Retries":3},"OnBuild":null,"Shell":["/bin/bash","-c"]},
             "rootfs":{"type":"layers","diff_ids":["sha256:aa","sha256:bb"]},
             "history":[{"created":"2024-01-01T00:00:00Z","created_by":"ADD x","empty_layer":true},{"comment":"c"}]}
            """;
        var config = Parse(json);
        Assert.That((config.Architecture, config.Os, config.Author), Is.EqualTo(("amd64", "linux", "me")));
        Assert.That(config.Created, Is.EqualTo(new DateTimeOffset(2024, 9, 26, 21, 31, 42, TimeSpan.Zero).AddTicks(1234568)));
        var run = config.Config!;
        Assert.That(run.User, Is.EqualTo("1000:1000"));
        Assert.That(run.ExposedPorts!.Keys, Is.EquivalentTo(new[] { "80/tcp", "53/udp" }));
        Assert.That(run.Env, Is.EqualTo(new[] { "PATH=/bin", "A=b" }));
        Assert.That(run.Entrypoint, Is.EqualTo(new[] { "/entry" }));
        Assert.That(run.Cmd, Is.EqualTo(new[] { "-x" }));
        Assert.That(run.Volumes!.Keys, Is.EqualTo(new[] { "/data" }));
        Assert.That(run.WorkingDir, Is.EqualTo("/srv"));
        Assert.That(run.Labels!["org.example"], Is.EqualTo("yes"));
        Assert.That(run.StopSignal, Is.EqualTo("SIGQUIT"));
        Assert.That(run.Healthcheck!.Value.GetProperty("Retries").GetInt32(), Is.EqualTo(3));
        Assert.That(run.Shell, Is.EqualTo(new[] { "/bin/bash", "-c" }));
        Assert.That(run.OnBuild, Is.Null);
        Assert.That(config.RootFs!.DiffIds, Is.EqualTo(new[] { "sha256:aa", "sha256:bb" }));
        Assert.That(config.History!.Select(h => h.EmptyLayer), Is.EqualTo(new bool?[] { true, null }));
        Assert.That(config.History![1].Comment, Is.EqualTo("c"));
    }

    [TestCase("{}")]
    [TestCase("""{"architecture":null,"os":null,"created":null,"config":null,"rootfs":null,"history":null}""")]
    [TestCase("""{"config":{"Env":null,"Cmd":null,"Entrypoint":null,"Labels":null,"ExposedPorts":null,"Volumes":null,"Healthcheck":null}}""")]
    [TestCase("""{"created":"not a time","unknown":{"nested":[1,2]},"rootfs":{"diff_ids":null}}""")]
    [TestCase("""{"created":12345,"history":[null,{}]}""")]
    public void ToleratesNullsAndMissingFields(string json)
    {
        var config = Parse(json);
        Assert.That(config.Created, Is.Null);
        Assert.That(config.Config?.Env, Is.Null);
        Assert.That(config.RootFs?.DiffIds, Is.Null);
    }

    [Test]
    public void KeysMatchCaseInsensitivelyAsInGo()
    {
        var config = Parse("""{"Architecture":"arm64","config":{"env":["A=1"],"CMD":["x"]}}""");
        Assert.That(config.Architecture, Is.EqualTo("arm64"));
        Assert.That(config.Config!.Env, Is.EqualTo(new[] { "A=1" }));
        Assert.That(config.Config.Cmd, Is.EqualTo(new[] { "x" }));
    }

    [TestCase("[1,2]")]
    [TestCase("{\"config\":{\"Cmd\":\"not a list\"}}")]
    [TestCase("{\"rootfs\":")]
    [TestCase("null")]
    public void InvalidConfigIsAFormatErrorNamingIt(string json)
    {
        var error = Assert.Throws<ImageFormatException>(() => ImageJsonContext.Parse(Encoding.UTF8.GetBytes(json), ImageJsonContext.Default.ImageConfig, "config `x.json`"));
        Assert.That(error!.Message, Does.StartWith("config `x.json` is"));
    }

    [Test]
    public void ManifestAndIndex()
    {
        const string manifest = """
            {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
             "config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":1469,"digest":"sha256:c1"},
             "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":2,"digest":"sha256:l1"}]}
            """;
        var parsed = ImageJsonContext.Parse(Encoding.UTF8.GetBytes(manifest), ImageJsonContext.Default.OciManifest, "manifest");
        Assert.That((parsed.SchemaVersion, parsed.Config!.Digest, parsed.Config.Size), Is.EqualTo((2, "sha256:c1", 1469L)));
        Assert.That(parsed.Layers!.Single().MediaType, Is.EqualTo("application/vnd.docker.image.rootfs.diff.tar.gzip"));

        const string index = """
            {"schemaVersion":2,"manifests":[
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:a","size":1,"platform":{"architecture":"arm","os":"linux","variant":"v7"}},
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:b","size":1,"annotations":{"io.containerd.image.name":"docker.io/library/x:1"}}]}
            """;
        var parsedIndex = ImageJsonContext.Parse(Encoding.UTF8.GetBytes(index), ImageJsonContext.Default.OciIndex, "index.json");
        Assert.That(parsedIndex.Manifests![0].Platform!.ToString(), Is.EqualTo("linux/arm/v7"));
        Assert.That(parsedIndex.Manifests[1].Annotations!["io.containerd.image.name"], Is.EqualTo("docker.io/library/x:1"));
    }

    [Test]
    public void DockerSaveManifest()
    {
        const string json = """[{"Config":"blobs/sha256/c","RepoTags":["busybox:latest"],"Layers":["blobs/sha256/l"],"LayerSources":{},"Parent":""},{"Config":"c.json","RepoTags":null,"Layers":null}]""";
        var entries = ImageJsonContext.Parse(Encoding.UTF8.GetBytes(json), ImageJsonContext.Default.ListDockerManifestEntry, "manifest.json");
        Assert.That(entries[0].RepoTags, Is.EqualTo(new[] { "busybox:latest" }));
        Assert.That(entries[0].Layers, Is.EqualTo(new[] { "blobs/sha256/l" }));
        Assert.That((entries[1].Config, entries[1].RepoTags, entries[1].Layers), Is.EqualTo(("c.json", (List<string>?)null, (List<string>?)null)));
    }

    [Test]
    public void RecordsRoundTrip()
    {
        var record = new ImageRecord { Id = "sha256:x", ManifestDigest = null, LayerBlobs = [new LayerBlobRecord { Digest = "sha256:l", Size = 3, Compression = "gzip" }], Loaded = DateTimeOffset.UnixEpoch };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(record, ImageJsonContext.Default.ImageRecord);
        Assert.That(Encoding.UTF8.GetString(json), Does.Not.Contain("manifest"), "nulls are left out");
        var back = ImageJsonContext.Parse(json, ImageJsonContext.Default.ImageRecord, "record");
        Assert.That((back.Id, back.LayerBlobs[0].Digest, back.LayerBlobs[0].Compression, back.Loaded), Is.EqualTo(("sha256:x", "sha256:l", "gzip", DateTimeOffset.UnixEpoch)));
    }

    private static ImageConfig Parse(string json) =>
        ImageJsonContext.Parse(Encoding.UTF8.GetBytes(json), ImageJsonContext.Default.ImageConfig, "config");
}
