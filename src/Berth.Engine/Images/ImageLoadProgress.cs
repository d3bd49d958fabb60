namespace Berth.Engine.Images;

/// <summary>
/// A progress event of <see cref="ImageStore.LoadAsync"/>. Name is the layer's entry in the archive
/// (for layer events) or the loaded reference; Digest is the layer's DiffID or the image ID.
/// </summary>
public sealed record ImageLoadProgress(ImageLoadProgressKind Kind, string Name, string? Digest, long Current, long Total);
