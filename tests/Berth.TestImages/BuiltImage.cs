using System.Text.Json.Nodes;

namespace Berth.TestImages;

/// <summary>The blobs of one image: manifest, config (its digest is the image ID), layers as stored.</summary>
internal sealed record BuiltImage(Blob Manifest, Blob Config, IReadOnlyList<Blob> Layers, IReadOnlyList<byte[]> LayerTars)
{
    const string Created = "2024-01-01T00:00:00Z";

    public IEnumerable<Blob> Blobs() => [Manifest, Config, .. Layers];

    public static BuiltImage Build(ImageDefinition definition, LayerCompression compression)
    {
        var tars = definition.Layers.Select(l => l.Tar).ToList();
        var layers = tars.Select(t => LayerCompressor.Compress(t, compression)).ToList();
        var config = new Blob(MediaTypes.Config, Json.Bytes(ConfigJson(definition)));
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.Manifest,
            ["config"] = config.Descriptor(),
            ["layers"] = new JsonArray(layers.Select(l => (JsonNode?)l.Descriptor()).ToArray()),
        };
        return new BuiltImage(new Blob(MediaTypes.Manifest, Json.Bytes(manifest)), config, layers, tars);
    }

    static JsonObject ConfigJson(ImageDefinition definition)
    {
        var config = new JsonObject
        {
            ["User"] = "",
            ["Env"] = Json.Array(definition.Env),
            ["Cmd"] = Json.Array(["sh"]),
            ["WorkingDir"] = definition.WorkingDir,
            ["Labels"] = new JsonObject { ["org.berth.test"] = definition.Label },
        };
        if (definition.ExposedPorts.Count > 0)
            config["ExposedPorts"] = new JsonObject(definition.ExposedPorts.Select(p => KeyValuePair.Create(p, (JsonNode?)new JsonObject())));
        var diffIds = definition.Layers.Select(l => "sha256:" + Sha256Hex.Of(l.Tar));
        return new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["created"] = Created,
            ["config"] = config,
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = Json.Array(diffIds) },
            ["history"] = History(definition),
        };
    }

    static JsonArray History(ImageDefinition definition)
    {
        var history = new JsonArray();
        foreach (var (_, createdBy) in definition.Layers)
            history.Add(new JsonObject { ["created"] = Created, ["created_by"] = createdBy });
        foreach (var step in definition.Steps)
            history.Add(new JsonObject { ["created"] = Created, ["created_by"] = step, ["empty_layer"] = true });
        return history;
    }
}
