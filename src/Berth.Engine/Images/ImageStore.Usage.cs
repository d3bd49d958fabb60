namespace Berth.Engine.Images;

/// <summary>History, prune and disk usage: what the images' layers weigh, and who shares them.</summary>
public sealed partial class ImageStore
{
    /// <summary>
    /// moby's ImageHistory: the config's history, newest first; each entry that is not an empty layer gets the size of
    /// the next layer of the rootfs, in order. A history that names more layers than the rootfs has is a format error.
    /// An image without history (some imports, very old images) shows one line per layer.
    /// </summary>
    public IReadOnlyList<ImageHistoryItem> History(Image image)
    {
        var entries = image.Config.History is { Count: > 0 } history
            ? history
            : image.ChainIds.Select(_ => new ImageHistoryEntry { Created = image.Config.Created }).ToList();
        var items = new List<ImageHistoryItem>(entries.Count);
        int layer = 0;
        foreach (var entry in entries)
        {
            bool empty = entry.EmptyLayer == true;
            long size = 0;
            if (!empty)
            {
                if (layer >= image.ChainIds.Count)
                    throw new ImageFormatException($"image {image.ShortId} has more non-empty layers in its history than in its rootfs");
                size = _layers.ReadRecord(image.ChainIds[layer++])?.Size ?? 0;
            }
            items.Add(new ImageHistoryItem(entry.Created, entry.CreatedBy ?? "", entry.Comment ?? "", size, empty));
        }
        items.Reverse();
        return items;
    }

    /// <summary>
    /// `docker image prune`: removes the dangling images (no tag), or with <paramref name="all"/> every image no
    /// container uses, that <paramref name="filter"/> accepts. SpaceReclaimed is the size of the layers actually
    /// deleted: a layer another image still uses frees nothing.
    /// </summary>
    public ImagePruneResult Prune(bool all, Func<Image, bool> filter, Func<string, bool> isImageInUse)
    {
        var removed = new List<(Image, ImageDeleteResult)>();
        long reclaimed = 0;
        lock (_lock)
        {
            foreach (var stored in _images.Values.ToList())
            {
                var image = ToImage(stored);
                if ((!all && image.RepoTags.Count > 0) || isImageInUse(image.Id) || !filter(image))
                    continue;
                var sizes = stored.ChainIds.Distinct().ToDictionary(c => c, c => _layers.ReadRecord(c)?.Size ?? 0, StringComparer.Ordinal);
                var references = _repositories.ReferencesTo(image.Id);
                foreach (var reference in references)
                    _repositories.Remove(reference);
                _repositories.Save();
                var deleted = DeleteImage(stored);
                reclaimed += deleted.Where(sizes.ContainsKey).Sum(c => sizes[c]);
                removed.Add((image, new ImageDeleteResult { Untagged = references.Select(r => r.FamiliarString).ToList(), Deleted = deleted }));
            }
        }
        foreach (var (image, result) in removed)
            PublishRemoval(image, result);
        Events.Publish("image", "prune", "", new Dictionary<string, string> { ["reclaimed"] = reclaimed.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return new ImagePruneResult(removed, reclaimed);
    }

    /// <summary>Every image with its shared size, and the size of all layers counted once.</summary>
    public ImageDiskUsage DiskUsage()
    {
        lock (_lock)
        {
            var users = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (string chainId in _images.Values.SelectMany(i => i.ChainIds.Distinct()))
                users[chainId] = users.GetValueOrDefault(chainId) + 1;
            var sizes = users.Keys.ToDictionary(c => c, c => _layers.ReadRecord(c)?.Size ?? 0, StringComparer.Ordinal);
            var images = _images.Values
                .Select(i => (ToImage(i), i.ChainIds.Distinct().Where(c => users[c] > 1).Sum(c => sizes[c])))
                .OrderByDescending(pair => pair.Item1.Created)
                .ToList();
            return new ImageDiskUsage(sizes.Values.Sum(), images);
        }
    }
}
