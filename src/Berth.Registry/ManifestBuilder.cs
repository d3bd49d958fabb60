using System.Text.Json;
using Berth.Engine.Images;

namespace Berth.Registry;

/// <summary>
/// The manifest a push sends: the image's own manifest when the store kept one that names exactly this config and
/// these layer blobs (a pulled image, or a `docker save` of Docker 25+), so it pushes back under the same digest;
/// otherwise a Docker v2 schema 2 manifest built from the stored blobs, deterministically (same bytes every time).
/// </summary>
public static class ManifestBuilder
{
    public static (byte[] Bytes, string MediaType) For(ImageContent content)
    {
        if (content.ManifestBytes is { } kept && Matches(kept, content) is { } mediaType)
            return (kept, mediaType);
        var manifest = new ManifestDocument
        {
            SchemaVersion = 2,
            MediaType = MediaTypes.DockerManifest,
            Config = new ManifestDescriptor { MediaType = MediaTypes.DockerConfig, Size = content.ConfigBytes.Length, Digest = content.Id },
            Layers = content.Layers.Select(l => new ManifestDescriptor { MediaType = LayerMediaType(l.Format), Size = l.Size, Digest = l.Digest }).ToList(),
        };
        return (JsonSerializer.SerializeToUtf8Bytes(manifest, RegistryJsonContext.Default.ManifestDocument), MediaTypes.DockerManifest);
    }

    private static string LayerMediaType(LayerFormat format) => format switch
    {
        LayerFormat.Gzip => MediaTypes.DockerLayerGzip,
        LayerFormat.Zstd => MediaTypes.OciLayerZstd,
        _ => MediaTypes.DockerLayerTar,
    };

    private static string? Matches(byte[] bytes, ImageContent content)
    {
        ManifestDocument manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(bytes, RegistryJsonContext.Default.ManifestDocument)!;
        }
        catch (JsonException)
        {
            return null;
        }
        string? mediaType = manifest?.MediaType ?? (manifest?.Config is not null ? MediaTypes.OciManifest : null);
        if (manifest is null || !MediaTypes.IsImageManifest(mediaType) || manifest.Config?.Digest != content.Id)
            return null;
        var layers = manifest.Layers ?? [];
        return layers.Count == content.Layers.Count && layers.Zip(content.Layers).All(p => p.First.Digest == p.Second.Digest && p.First.Size == p.Second.Size)
            ? mediaType
            : null;
    }
}
