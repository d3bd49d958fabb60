using System.Diagnostics;
using Berth.Interop;

namespace Berth.Engine.Cgroups;

/// <summary>
/// Reads and writes cgroupfs control files and directories. Every write goes through <see cref="Write"/>, whose
/// error reads "write `value` to `path`: strerror". Carries the fake-kernel seams of <see cref="CgroupDriverOptions"/>.
/// </summary>
internal sealed class CgroupFiles
{
    private const int ENODEV = 19;

    private readonly CgroupDriverOptions _options;

    public CgroupFiles(CgroupDriverOptions options) => _options = options;

    public TimeSpan FreezeTimeout => _options.FreezeTimeout;

    public void Write(string path, string value)
    {
        try
        {
            _options.OnWrite?.Invoke(path, value);
            Sys.WriteControlFile(path, value);
        }
        catch (SyscallException e)
        {
            throw new CgroupException(e.Message, e);
        }
    }

    /// <summary>Creates a cgroup directory; false when it already existed.</summary>
    public bool MakeDirectory(string path)
    {
        try
        {
            return _options.MakeDirectory?.Invoke(path) ?? Sys.MakeDirectory(path, 0b111_101_101);
        }
        catch (SyscallException e)
        {
            throw new CgroupException(e.Message, e);
        }
    }

    /// <summary>The trimmed content of a control file, or null when it does not exist (or its cgroup was just removed: ENODEV).</summary>
    public static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException { HResult: ENODEV })
        {
            return null;
        }
    }

    public static string Read(string path) =>
        ReadOrNull(path) ?? throw new CgroupException($"read `{path}`: No such file or directory");

    /// <summary>The value of <paramref name="key"/> in a flat-keyed file such as <c>memory.events</c> ("key value" lines), or null.</summary>
    public static long? ReadKey(string path, string key)
    {
        string? text = ReadOrNull(path);
        if (text is null)
            return null;
        foreach (string line in text.Split('\n'))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] == key && long.TryParse(parts[1], out long value))
                return value;
        }
        return null;
    }

    /// <summary>Every "key value" line of a flat-keyed file such as <c>memory.stat</c>; empty when the file is missing.</summary>
    public static IReadOnlyDictionary<string, long> ReadKeys(string path)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string line in (ReadOrNull(path) ?? "").Split('\n'))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && long.TryParse(parts[1], out long value))
                values[parts[0]] = value;
        }
        return values;
    }

    /// <summary>A number file such as <c>pids.current</c> or <c>memory.max</c>; null when missing, or when it reads <c>max</c> or v1's "unlimited".</summary>
    public static long? ReadNumber(string path)
    {
        string? text = ReadOrNull(path);
        if (text is null || text == "max" || !long.TryParse(text, out long value))
            return null;
        // v1 reports "unlimited" as LONG_MAX rounded down to a page.
        return value >= long.MaxValue - 0xFFFFF ? null : value;
    }

    /// <summary>A whitespace-separated set file such as <c>cgroup.controllers</c>; empty when missing.</summary>
    public static IReadOnlySet<string> ReadSet(string path) =>
        (ReadOrNull(path) ?? "").Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).ToHashSet();

    /// <summary>The pids in a <c>cgroup.procs</c> file; empty when it does not exist.</summary>
    public static IReadOnlyList<int> ReadPids(string procsFile) =>
        (ReadOrNull(procsFile) ?? "")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => int.TryParse(line, out int pid) ? pid : 0)
            .Where(pid => pid > 0)
            .ToList();

    /// <summary>The pids in <c>cgroup.procs</c> of <paramref name="directory"/> and every cgroup below it.</summary>
    public static IEnumerable<int> ReadPidsRecursive(string directory)
    {
        if (!Directory.Exists(directory))
            yield break;
        foreach (int pid in ReadPids(Path.Combine(directory, "cgroup.procs")))
            yield return pid;
        foreach (string child in SubCgroups(directory))
        {
            foreach (int pid in ReadPidsRecursive(child))
                yield return pid;
        }
    }

    /// <summary>
    /// Removes a cgroup directory and the cgroups below it, deepest first. rmdir fails with EBUSY while the
    /// kernel still counts a dying task, so that is retried until <paramref name="deadline"/> of <paramref name="clock"/>.
    /// </summary>
    public static async Task RemoveTreeAsync(string directory, Stopwatch clock, TimeSpan deadline, CancellationToken ct)
    {
        foreach (string child in SubCgroups(directory))
            await RemoveTreeAsync(child, clock, deadline, ct);
        int delayMs = 1;
        while (true)
        {
            try
            {
                Sys.RemoveDirectory(directory);
                return;
            }
            catch (SyscallException e) when (e.Errno == Errno.EBUSY && clock.Elapsed < deadline)
            {
                await Task.Delay(delayMs, ct);
                delayMs = Math.Min(delayMs * 2, 100);
            }
            catch (SyscallException e)
            {
                throw new CgroupException(e.Message, e);
            }
        }
    }

    private static string[] SubCgroups(string directory)
    {
        try
        {
            return Directory.GetDirectories(directory);
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }
}
