using System.Security.Cryptography;
using System.Text;
using Berth.Engine.Images;
using Berth.Interop;

namespace Berth.Engine.Build;

/// <summary>
/// The classic builder's cache: a step's image is reused when the parent image, the step's command (with the build
/// args it uses, and for COPY/ADD the sources' checksum) and the resulting config are the same as a step built here
/// before (moby's image/cache: only locally built images are candidates). Kept as one "key image-id" line per step in
/// the data root, written atomically; an entry whose image was removed is a miss.
/// </summary>
public sealed class BuildCache
{
    private readonly string _path;
    private readonly Lock _lock = new();
    private Dictionary<string, string>? _entries;

    public BuildCache(string directory)
    {
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, "cache");
    }

    public static string KeyOf(string? parentId, string createdBy, ImageExecutionConfig config)
    {
        byte[] json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(config, ImageJsonContext.Default.ImageExecutionConfig);
        string text = $"{parentId}\n{createdBy}\n{Encoding.UTF8.GetString(json)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public string? Find(string key)
    {
        lock (_lock)
            return Load().GetValueOrDefault(key);
    }

    public void Add(string key, string imageId)
    {
        lock (_lock)
        {
            Load()[key] = imageId;
            Save();
        }
    }

    /// <summary><c>POST /build/prune</c>: forgets every entry (the images stay until image prune); returns how many.</summary>
    public int Clear()
    {
        lock (_lock)
        {
            int count = Load().Count;
            _entries!.Clear();
            Save();
            return count;
        }
    }

    /// <summary>Forgets the entries whose image is gone.</summary>
    public void Retain(Func<string, bool> exists)
    {
        lock (_lock)
        {
            var gone = Load().Where(e => !exists(e.Value)).Select(e => e.Key).ToList();
            foreach (string key in gone)
                _entries!.Remove(key);
            if (gone.Count > 0)
                Save();
        }
    }

    private Dictionary<string, string> Load()
    {
        if (_entries is not null)
            return _entries;
        _entries = [];
        if (File.Exists(_path))
        {
            foreach (string line in File.ReadAllLines(_path))
            {
                string[] parts = line.Split(' ');
                if (parts.Length == 2)
                    _entries[parts[0]] = parts[1];
            }
        }
        return _entries;
    }

    private void Save() =>
        AtomicFile.Write(_path, Encoding.UTF8.GetBytes(string.Concat(_entries!.Select(e => $"{e.Key} {e.Value}\n"))));
}
