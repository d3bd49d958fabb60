using System.Text;
using System.Text.Json.Nodes;

namespace Berth.Engine.Tests.Images;

/// <summary>An image made in memory: layer tars, their blobs as stored (maybe compressed), and a config naming their DiffIDs.</summary>
internal sealed class TestImage
{
    public const string Created = "2024-09-26T21:31:42.123456789Z";

    private TestImage(List<byte[]> layerTars, List<byte[]> layerBlobs, byte[] config, string[] tags, string compression)
    {
        LayerTars = layerTars;
        LayerBlobs = layerBlobs;
        Config = config;
        Tags = tags;
        Compression = compression;
    }

    public List<byte[]> LayerTars { get; }

    public List<byte[]> LayerBlobs { get; }

    public byte[] Config { get; }

    public string[] Tags { get; }

    /// <summary>"", "+gzip" or "+zstd": the suffix of the OCI layer media type.</summary>
    public string Compression { get; }

    public string Id => TestTar.Sha256(Config);

    public List<string> DiffIds => LayerTars.Select(TestTar.Sha256).ToList();

    public static TestImage Create(IEnumerable<byte[]> layerTars, string[]? tags = null, string compression = "", string architecture = "amd64",
        IEnumerable<string>? diffIds = null, string cmd = "sh")
    {
        var tars = layerTars.ToList();
        Func<byte[], byte[]> compress = compression switch
        {
            "+gzip" => TestTar.Gzip,
            "+zstd" => TestTar.Zstd,
            _ => data => data,
        };
        var config = new JsonObject
        {
            ["architecture"] = architecture,
            ["os"] = "linux",
            ["created"] = Created,
            ["config"] = new JsonObject
            {
                ["Env"] = new JsonArray("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                ["Cmd"] = new JsonArray(cmd),
                ["Labels"] = null,
            },
            ["rootfs"] = new JsonObject
            {
                ["type"] = "layers",
                ["diff_ids"] = new JsonArray((diffIds ?? tars.Select(TestTar.Sha256)).Select(d => (JsonNode)JsonValue.Create(d)!).ToArray()),
            },
            ["history"] = new JsonArray(tars.Select(_ => (JsonNode)new JsonObject { ["created_by"] = "ADD layer" }).ToArray()),
        };
        return new TestImage(tars, tars.Select(compress).ToList(), Encoding.UTF8.GetBytes(config.ToJsonString()), tags ?? [], compression);
    }

    /// <summary>A one-file layer, distinct per <paramref name="name"/>.</summary>
    public static byte[] SimpleLayer(string name, string content = "hello") =>
        new TestTar().Dir("etc/").File($"etc/{name}", content).Build();
}
