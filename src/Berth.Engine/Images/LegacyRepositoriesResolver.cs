using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Common;

namespace Berth.Engine.Images;

/// <summary>
/// The oldest `docker save` layout, without manifest.json: `repositories` maps repo → tag → top layer id,
/// and each layer directory <c>&lt;id&gt;/</c> has <c>json</c> (a v1 image with a "parent" id) and
/// <c>layer.tar</c>. As moby's legacyLoad does, the image config is the top layer's json without the v1
/// fields, plus rootfs (the DiffIDs computed while unpacking) and one history entry per layer.
/// </summary>
internal static class LegacyRepositoriesResolver
{
    public const string FileName = "repositories";
    private const int MaxLayers = 1000;
    private static readonly HashSet<string> V1Fields = ["id", "parent", "Size", "parent_id", "layer_id", "throwaway", "rootfs", "history"];

    public static IReadOnlyList<ImageCandidate> Resolve(ArchiveContents contents, byte[] json)
    {
        var repositories = ImageJsonContext.Parse(json, ImageJsonContext.Default.DictionaryStringDictionaryStringString, FileName);
        var tagsByTop = new Dictionary<string, List<ImageReference>>(StringComparer.Ordinal);
        foreach (var (repository, tags) in repositories)
        {
            foreach (var (tag, id) in tags ?? [])
            {
                CheckId(id, FileName);
                var reference = ArchiveImageResolver.ParseTag($"{repository}:{tag}", FileName);
                (tagsByTop.TryGetValue(id, out var list) ? list : tagsByTop[id] = []).Add(reference);
            }
        }
        if (tagsByTop.Count == 0)
            throw new ImageFormatException($"{FileName} lists no images");
        return tagsByTop.Select(pair => ToCandidate(contents, pair.Key, pair.Value)).ToList();
    }

    private static ImageCandidate ToCandidate(ArchiveContents contents, string topId, List<ImageReference> tags)
    {
        var chain = new List<(string Id, JsonObject Json)>();
        for (string? id = topId; id is not null; id = ParentOf(chain[^1].Json, $"{id}/json"))
        {
            if (chain.Count == MaxLayers || chain.Any(layer => layer.Id == id))
                throw new ImageFormatException($"layer `{id}` has a parent loop or more than {MaxLayers} ancestors");
            byte[] data = contents.ReadFile($"{id}/json")
                ?? throw new ImageFormatException($"{FileName} needs layer `{id}`, but `{id}/json` is not in the archive");
            chain.Add((id, ParseObject(data, $"{id}/json")));
        }
        chain.Reverse();
        return new ImageCandidate
        {
            Source = $"{FileName} image {topId}",
            ConfigName = $"{topId}/json",
            BuildConfig = diffIds => BuildConfig(chain, diffIds),
            Layers = chain.Select(layer => new CandidateLayer($"{layer.Id}/layer.tar", null, null)).ToList(),
            Tags = tags,
        };
    }

    private static string? ParentOf(JsonObject json, string where)
    {
        if (json["parent"] is not JsonValue value)
            return null;
        if (!value.TryGetValue(out string? parent))
            throw new ImageFormatException($"`{where}` has a parent that is not a string");
        if (parent.Length == 0)
            return null;
        CheckId(parent, where);
        return parent;
    }

    private static void CheckId(string? id, string where)
    {
        if (!Digest.IsHex(id, 64))
            throw new ImageFormatException($"{where} names layer `{id}`, which is not a 64-digit hex id");
    }

    private static JsonObject ParseObject(byte[] data, string where)
    {
        try
        {
            return JsonNode.Parse(data) as JsonObject ?? throw new ImageFormatException($"`{where}` is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new ImageFormatException($"`{where}` is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>moby image/v1 MakeConfigFromV1Config and HistoryFromConfig.</summary>
    private static byte[] BuildConfig(List<(string Id, JsonObject Json)> chain, IReadOnlyList<string> diffIds)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in chain[^1].Json)
            {
                if (V1Fields.Contains(key))
                    continue;
                writer.WritePropertyName(key);
                WriteNode(writer, value);
            }
            writer.WriteStartObject("rootfs");
            writer.WriteString("type", "layers");
            writer.WriteStartArray("diff_ids");
            foreach (string diffId in diffIds)
                writer.WriteStringValue(diffId);
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteStartArray("history");
            foreach (var (_, json) in chain)
                WriteHistory(writer, json);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteHistory(Utf8JsonWriter writer, JsonObject json)
    {
        writer.WriteStartObject();
        foreach (string key in new[] { "created", "author", "comment" })
        {
            if (json[key] is JsonValue value && value.TryGetValue(out string? text))
                writer.WriteString(key, text);
        }
        var cmd = (json["container_config"] as JsonObject)?["Cmd"] as JsonArray;
        var parts = cmd?.Select(part => part is JsonValue v && v.TryGetValue(out string? s) ? s : "") ?? [];
        writer.WriteString("created_by", string.Join(' ', parts));
        writer.WriteEndObject();
    }

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node)
    {
        if (node is null)
            writer.WriteNullValue();
        else
            node.WriteTo(writer);
    }
}
