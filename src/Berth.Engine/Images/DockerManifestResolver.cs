namespace Berth.Engine.Images;

/// <summary>
/// manifest.json of `docker save` (moby image/tarexport): one entry per image with its config, its layers
/// bottom first, and its tags. Docker 25+ names blobs <c>blobs/sha256/&lt;hex&gt;</c>; older Docker names
/// the config <c>&lt;hex&gt;.json</c> and the layers <c>&lt;v1 id&gt;/layer.tar</c>. A name that is a digest is checked.
/// </summary>
internal static class DockerManifestResolver
{
    public const string FileName = "manifest.json";

    public static IReadOnlyList<ImageCandidate> Resolve(ArchiveContents contents, byte[] json)
    {
        var entries = ImageJsonContext.Parse(json, ImageJsonContext.Default.ListDockerManifestEntry, FileName);
        if (entries.Count == 0)
            throw new ImageFormatException($"{FileName} lists no images");
        return entries.Select((entry, i) => ToCandidate(contents, entry, $"{FileName} entry {i}")).ToList();
    }

    private static ImageCandidate ToCandidate(ArchiveContents contents, DockerManifestEntry? entry, string where)
    {
        if (entry?.Config is null)
            throw new ImageFormatException($"{where} has no Config");
        string configName = ArchiveImageResolver.EntryName(entry.Config, where);
        byte[] config = contents.ReadFile(configName)
            ?? throw new ImageFormatException($"{where} names config `{entry.Config}`, which is not in the archive");
        if (Digest.TryFromArchiveName(configName, out string? expected) && Digest.Of(config) is var actual && actual != expected)
            throw new ImageFormatException($"config `{entry.Config}` does not match its digest: the content is {actual}");
        return new ImageCandidate
        {
            Source = where,
            ConfigName = configName,
            ConfigBytes = config,
            Layers = (entry.Layers ?? []).Select(layer => ToLayer(layer, where)).ToList(),
            Tags = (entry.RepoTags ?? []).Select(tag => ArchiveImageResolver.ParseTag(tag, where)).ToList(),
        };
    }

    private static CandidateLayer ToLayer(string? layer, string where)
    {
        string name = ArchiveImageResolver.EntryName(layer, where);
        return new CandidateLayer(name, name.StartsWith("blobs/", StringComparison.Ordinal) && Digest.TryFromArchiveName(name, out string? digest) ? digest : null, null);
    }
}
