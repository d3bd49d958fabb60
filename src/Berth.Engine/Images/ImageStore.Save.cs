using Berth.Common;

namespace Berth.Engine.Images;

/// <summary>`docker save`: which images and tags a list of names means, with their blobs held open.</summary>
public sealed partial class ImageStore
{
    /// <summary>
    /// Resolves the names as moby's tarexport parseNames does: <c>repo:tag</c> or <c>repo@digest</c> is that image with
    /// that tag (none for a digest), a bare <c>repo</c> is every tagged image of the repository, an ID is the image
    /// without tags. The blobs are opened here, under the store's lock, so that an `rmi` during the stream cannot take
    /// them away. A name that matches nothing throws <see cref="ImageNotFoundException"/> before anything is written.
    /// </summary>
    public ImageExport OpenExport(IReadOnlyList<string> names)
    {
        var order = new List<string>();
        var tags = new Dictionary<string, List<ImageReference>>(StringComparer.Ordinal);
        void Add(string id, ImageReference? tag)
        {
            if (!tags.TryGetValue(id, out var list))
            {
                tags[id] = list = [];
                order.Add(id);
            }
            if (tag is not null && !list.Contains(tag))
                list.Add(tag);
        }
        lock (_lock)
        {
            foreach (string name in names)
            {
                if (IsNameOnly(name) && ImageReference.TryParse(name, out var repository)
                    && _repositories.TagsIn(repository).Where(t => _images.ContainsKey(t.ImageId)).ToList() is { Count: > 0 } repositoryTags)
                {
                    foreach (var (repositoryTag, id) in repositoryTags)
                        Add(id, repositoryTag);
                    continue;
                }
                var image = FindStored(name, out var reference) ?? throw new ImageNotFoundException(name);
                if (reference is null || reference.Digest is not null)
                    Add(image.Id, null);
                else
                    Add(image.Id, reference);
            }
            return ImageExport.Open(order.Select(id => (Stored: _images[id], Tags: tags[id])).Select(pair => new ImageExport.Item(
                ToImage(pair.Stored), pair.Tags, _blobs.Read(pair.Stored.Id),
                pair.Stored.Record.LayerBlobs.Select(blob => (blob, _blobs.PathOf(blob.Digest))).ToList())).ToList(),
                export => PublishSaved(export.Images));
        }
    }

    private static bool IsNameOnly(string name)
    {
        int slash = name.LastIndexOf('/');
        return !name.Contains('@') && name.IndexOf(':', slash + 1) < 0;
    }
}
