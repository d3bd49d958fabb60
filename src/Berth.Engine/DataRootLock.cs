using System.Globalization;
using System.Text;
using Berth.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine;

/// <summary>
/// One berthd per data root: an exclusive lock (open file description lock) on <c>&lt;data-root&gt;/berthd.lock</c>, which holds the owner's pid.
/// The kernel drops the lock when the process dies, even by kill -9, so a stale file never blocks a new daemon.
/// </summary>
public sealed class DataRootLock : IDisposable
{
    public const string FileName = "berthd.lock";

    private readonly SafeFileHandle _handle;

    private DataRootLock(SafeFileHandle handle, string path)
    {
        _handle = handle;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Takes the lock and writes our pid into it; throws <see cref="DataRootInUseException"/> when another process holds it.</summary>
    public static DataRootLock Acquire(string dataRoot)
    {
        Directory.CreateDirectory(dataRoot);
        string path = System.IO.Path.Combine(dataRoot, FileName);
        var handle = Sys.OpenLockFile(path);
        try
        {
            if (!Sys.TryLockExclusive(handle, path))
                throw new DataRootInUseException(dataRoot, ReadPid(handle));
            Sys.Rewrite(handle, Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"), path);
            return new DataRootLock(handle, path);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static int? ReadPid(SafeFileHandle handle)
    {
        var buffer = new byte[32];
        int read = RandomAccess.Read(handle, buffer, 0);
        return int.TryParse(Encoding.ASCII.GetString(buffer, 0, read).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
    }

    /// <summary>Empties the pid and releases the lock (closing the file releases the flock).</summary>
    public void Dispose()
    {
        if (_handle.IsClosed)
            return;
        try
        {
            Sys.Rewrite(_handle, [], Path);
        }
        catch (IOException)
        {
        }
        _handle.Dispose();
    }
}
