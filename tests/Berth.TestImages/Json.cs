using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.TestImages;

/// <summary>Compact UTF-8 JSON without HTML escaping (so "+json" stays readable), as Docker writes it.</summary>
internal static class Json
{
    public static byte[] Bytes(JsonNode node)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            node.WriteTo(writer);
        return buffer.ToArray();
    }

    public static JsonArray Array(IEnumerable<string> items) => new(items.Select(i => (JsonNode?)i).ToArray());
}
