using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Berth.Compose;

/// <summary>A node as canonical JSON (map keys sorted): what the config hash is taken over, and <c>config --format json</c>.</summary>
public static class NodeText
{
    public static string Json(ComposeNode node, bool indented = false, bool sorted = true)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
            Write(writer, node, sorted);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>com.docker.compose.config-hash: sha256 of the service's canonical JSON; the same file gives the same hash.</summary>
    public static string Hash(ComposeNode service) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Json(service))));

    private static void Write(Utf8JsonWriter writer, ComposeNode node, bool sorted)
    {
        switch (node)
        {
            case MapNode map:
                writer.WriteStartObject();
                foreach (var (key, value) in sorted ? map.Entries.OrderBy(e => e.Key, StringComparer.Ordinal) : map.Entries.AsEnumerable())
                {
                    writer.WritePropertyName(key);
                    Write(writer, value, sorted);
                }
                writer.WriteEndObject();
                break;
            case ListNode list:
                writer.WriteStartArray();
                foreach (var item in list.Items)
                    Write(writer, item, sorted);
                writer.WriteEndArray();
                break;
            case ScalarNode { Value: null }:
                writer.WriteNullValue();
                break;
            case ScalarNode scalar:
                writer.WriteStringValue(scalar.Value);
                break;
        }
    }
}
