using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Interop;

/// <summary>
/// Replaces a file so that readers and a crash see either the old or the new content, never a mix:
/// temp file in the same directory, write, fsync, rename over the target, fsync the directory.
/// A crash can leave a `.tmp-*` file behind; owners of a directory delete those when they open it.
/// </summary>
public static class AtomicFile
{
    public const string TempPrefix = ".tmp-";

    public static void Write(string path, ReadOnlySpan<byte> data)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temp = Path.Combine(directory, $"{TempPrefix}{Path.GetFileName(path)}-{Guid.NewGuid():N}");
        try
        {
            using (var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write))
            {
                RandomAccess.Write(handle, data, 0);
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
        Sys.FsyncDirectory(directory);
    }

    /// <summary>Writes <paramref name="value"/> as UTF-8 JSON (source-generated metadata, so it works under AOT).</summary>
    public static void WriteJson<T>(string path, T value, JsonTypeInfo<T> typeInfo) =>
        Write(path, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));
}
