using Berth.Interop;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Images;

/// <summary>Image records, one atomic JSON file each: <c>imagedb/&lt;config hex&gt;.json</c>.</summary>
internal sealed class ImageDatabase
{
    private readonly string _directory;

    public ImageDatabase(string directory)
    {
        _directory = directory;
    }

    public void Write(ImageRecord record) =>
        AtomicFile.WriteJson(PathOf(record.Id), record, ImageJsonContext.Default.ImageRecord);

    public void Delete(string imageId)
    {
        File.Delete(PathOf(imageId));
        Sys.FsyncDirectory(_directory);
    }

    /// <summary>Every readable record; an unreadable one is logged and skipped, not fatal to the daemon.</summary>
    public List<ImageRecord> ReadAll(ILogger logger)
    {
        var records = new List<ImageRecord>();
        foreach (string path in Directory.EnumerateFiles(_directory, "*.json"))
        {
            if (Path.GetFileName(path).StartsWith(AtomicFile.TempPrefix, StringComparison.Ordinal))
                continue;
            try
            {
                records.Add(ImageJsonContext.Parse(File.ReadAllBytes(path), ImageJsonContext.Default.ImageRecord, path));
            }
            catch (ImageFormatException e)
            {
                logger.LogError("Skipping image record {Path}: {Message}", path, e.Message);
            }
        }
        return records;
    }

    private string PathOf(string imageId) => Path.Combine(_directory, Digest.Hex(imageId, "image") + ".json");
}
