using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Interop;

namespace Berth.Network;

/// <summary>
/// Atomic replace of a state file (temp, fsync, rename, fsync the directory), as the engine's AtomicFile does;
/// Berth.Network sits below the engine and cannot reference it.
/// </summary>
internal static class StoreFile
{
    public const string TempPrefix = ".tmp-";

    public static void Write<T>(string path, T value, JsonTypeInfo<T> typeInfo)
    {
        byte[] data = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
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
}
