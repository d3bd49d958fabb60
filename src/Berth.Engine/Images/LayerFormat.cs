namespace Berth.Engine.Images;

/// <summary>
/// How a layer blob is stored, detected from its first bytes and never from a media type
/// (image-spec media-types.md allows both to disagree; Docker's classic store writes plain tars
/// under a "tar+gzip"-looking name and vice versa).
/// </summary>
public enum LayerFormat
{
    Tar,
    Gzip,
    Zstd,
}
