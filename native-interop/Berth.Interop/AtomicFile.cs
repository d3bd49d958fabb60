using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Interop;

/// <summary>
/// Replaces a file so that readers and a crash see either the old or the new content, never a mix:
/// temp file in the same directory, write, fsync, rename over the target, fsync the directory.
/// A crash can leave a `.tmp-*` file behind; owners of a directory delete those when they open it.
/// <paramref name="durable"/> false leaves out both fsyncs: the replacement is still atomic for readers and survives
/// the death of the process (the page cache keeps it), but a power loss or kernel crash may leave the old content,
/// or an empty or torn file on filesystems without ext4's rename heuristics. Only for state that no longer matters
/// after a reboot, and whose reader falls back when it cannot parse it.
/// </summary>
public static class AtomicFile
{
    public const string TempPrefix = ".tmp-";

    public static void Write(string path, ReadOnlySpan<byte> data, bool durable = true)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temp = Path.Combine(directory, $"{TempPrefix}{Path.GetFileName(path)}-{Guid.NewGuid():N}");
        try
        {
            using (var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write))
            {
                RandomAccess.Write(handle, data, 0);
                if (durable)
                    Sys.Fsync(handle, temp);
            }
            Sys.Rename(temp, path);
            temp = "";
        }
        finally
        {
            if (temp.Length > 0)
                File.Delete(temp);
        }
        if (durable)
            Sys.FsyncDirectory(directory);
    }

    /// <summary>Writes <paramref name="value"/> as UTF-8 JSON (source-generated metadata, so it works under AOT).</summary>
    public static void WriteJson<T>(string path, T value, JsonTypeInfo<T> typeInfo, bool durable = true) =>
        Write(path, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), durable);
}
