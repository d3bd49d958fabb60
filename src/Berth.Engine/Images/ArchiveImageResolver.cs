using Microsoft.Extensions.Logging;
using Berth.Common;

namespace Berth.Engine.Images;

/// <summary>
/// Finds the images of an archive in the order moby's loader uses (docker-api-notes §15.3):
/// manifest.json (`docker save` of any era), else index.json (a pure OCI layout), else the legacy
/// `repositories` file with per-layer directories.
/// </summary>
internal static class ArchiveImageResolver
{
    public static IReadOnlyList<ImageCandidate> Resolve(ArchiveContents contents, ILogger logger)
    {
        if (contents.ReadFile(DockerManifestResolver.FileName) is { } manifest)
            return DockerManifestResolver.Resolve(contents, manifest);
        if (contents.ReadFile(OciIndexResolver.FileName) is { } index)
            return OciIndexResolver.Resolve(contents, index, logger);
        if (contents.ReadFile(LegacyRepositoriesResolver.FileName) is { } repositories)
            return LegacyRepositoriesResolver.Resolve(contents, repositories);
        throw new ImageFormatException("archive has no manifest.json, index.json or repositories: it is neither `docker save` output nor an OCI layout");
    }

    /// <summary>A path named inside a manifest, normalised like an archive entry name.</summary>
    public static string EntryName(string? name, string where)
    {
        if (name is null || !EntryPath.TryNormalise(name, out string path, out string? problem) || path.Length == 0)
            throw new ImageFormatException($"{where} names `{name}`, which is not a valid archive path");
        return path;
    }

    /// <summary>A tag from a manifest; it must be a name with a tag, not a digest.</summary>
    public static ImageReference ParseTag(string? tag, string where)
    {
        if (!ImageReference.TryParse(tag, out var reference) || reference.Digest is not null)
            throw new ImageFormatException($"{where} has an invalid tag `{tag}`");
        return reference;
    }
}
