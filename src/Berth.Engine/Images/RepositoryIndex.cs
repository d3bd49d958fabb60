using Berth.Common;
using Berth.Interop;

namespace Berth.Engine.Images;

/// <summary>
/// Tags and digest references → image IDs, kept in repositories.json in Docker's shape. Not thread-safe:
/// the image store calls it under its lock.
/// </summary>
internal sealed class RepositoryIndex
{
    private readonly string _path;
    private readonly RepositoriesFile _file;

    public RepositoryIndex(string path)
    {
        _path = path;
        _file = File.Exists(path)
            ? ImageJsonContext.Parse(File.ReadAllBytes(path), ImageJsonContext.Default.RepositoriesFile, path)
            : new RepositoriesFile();
    }

    /// <summary>The image a reference points at. A reference with a digest is looked up by its digest (Docker ignores the tag then).</summary>
    public string? Lookup(ImageReference reference)
    {
        var key = Key(reference);
        return _file.Repositories.TryGetValue(key.FamiliarName, out var refs) ? refs.GetValueOrDefault(key.FamiliarString) : null;
    }

    /// <summary>Points <paramref name="reference"/> at <paramref name="imageId"/>; returns the image it pointed at before, if another.</summary>
    public string? Set(ImageReference reference, string imageId)
    {
        string? previous = Lookup(reference);
        var key = Key(reference);
        if (!_file.Repositories.TryGetValue(key.FamiliarName, out var refs))
            _file.Repositories[key.FamiliarName] = refs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        refs[key.FamiliarString] = imageId;
        return previous == imageId ? null : previous;
    }

    public bool Remove(ImageReference reference)
    {
        var key = Key(reference);
        if (!_file.Repositories.TryGetValue(key.FamiliarName, out var refs) || !refs.Remove(key.FamiliarString))
            return false;
        if (refs.Count == 0)
            _file.Repositories.Remove(key.FamiliarName);
        return true;
    }

    /// <summary>Every reference to <paramref name="imageId"/>: tags and digest references.</summary>
    public List<ImageReference> ReferencesTo(string imageId) =>
        _file.Repositories.Values
            .SelectMany(refs => refs)
            .Where(pair => pair.Value == imageId)
            .Select(pair => ImageReference.TryParse(pair.Key, out var reference) ? reference : null)
            .OfType<ImageReference>()
            .ToList();

    /// <summary>The tags (not digest references) of the repository <paramref name="reference"/> names, with their images.</summary>
    public List<(ImageReference Reference, string ImageId)> TagsIn(ImageReference reference) =>
        _file.Repositories.TryGetValue(reference.FamiliarName, out var refs)
            ? refs.Select(pair => (Parsed: ImageReference.TryParse(pair.Key, out var r) ? r : null, pair.Value))
                .Where(pair => pair.Parsed is { Digest: null })
                .Select(pair => (pair.Parsed!, pair.Value))
                .ToList()
            : [];

    public void Save() => AtomicFile.WriteJson(_path, _file, ImageJsonContext.Default.RepositoriesFile);

    private static ImageReference Key(ImageReference reference) =>
        reference.Digest is { } digest ? reference.WithDigest(digest) : reference;
}
