namespace Berth.Engine.Images;

/// <summary>A stored image's content as a push needs it. <see cref="ManifestBytes"/> is the manifest it came with (pulled or loaded), when kept.</summary>
public sealed record ImageContent(string Id, byte[] ConfigBytes, IReadOnlyList<ImageContentLayer> Layers, string? ManifestDigest, byte[]? ManifestBytes);
