namespace Berth.Engine.Images;

/// <summary>
/// `docker system df` for images: <see cref="LayersSize"/> counts every stored layer once; per image, its size and the
/// part of it in layers another image also uses (moby's SharedSize).
/// </summary>
public sealed record ImageDiskUsage(long LayersSize, IReadOnlyList<(Image Image, long SharedSize)> Images);
