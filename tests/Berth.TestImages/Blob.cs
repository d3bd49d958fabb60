using System.Text.Json.Nodes;

namespace Berth.TestImages;

/// <summary>A content-addressed blob with its media type.</summary>
internal sealed record Blob(string MediaType, byte[] Bytes)
{
    public string Hex { get; } = Sha256Hex.Of(Bytes);

    public string Digest => "sha256:" + Hex;

    public JsonObject Descriptor() => new()
    {
        ["mediaType"] = MediaType,
        ["digest"] = Digest,
        ["size"] = Bytes.LongLength,
    };
}
