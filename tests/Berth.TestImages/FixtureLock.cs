namespace Berth.TestImages;

/// <summary>
/// A lock file held open with FileShare.None, which .NET takes as flock(LOCK_EX | LOCK_NB): it keeps parallel
/// test processes from building the same cache at once, and the kernel drops it when the process dies.
/// </summary>
internal static class FixtureLock
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static FileStream Acquire(string path)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
            catch (IOException e)
            {
                throw new TimeoutException($"lock {path}: still held by another process after {Timeout}", e);
            }
        }
    }
}
