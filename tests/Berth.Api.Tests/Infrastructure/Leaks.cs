namespace Berth.Api.Tests.Infrastructure;

/// <summary>What a daemon may leave behind: mounts under its data root, its cgroup parent.</summary>
public static class Leaks
{
    /// <summary>Mount points at or under <paramref name="directory"/>, from /proc/self/mountinfo (octal escapes decoded).</summary>
    public static List<string> MountsUnder(string directory)
    {
        var mounts = new List<string>();
        foreach (string line in File.ReadLines("/proc/self/mountinfo"))
        {
            string mountPoint = Unescape(line.Split(' ')[4]);
            if (mountPoint == directory || mountPoint.StartsWith(directory + "/", StringComparison.Ordinal))
                mounts.Add(mountPoint);
        }
        return mounts;
    }

    /// <summary>Directories named <paramref name="name"/> anywhere in the cgroup filesystems (v1 hierarchies and cgroup2).</summary>
    public static List<string> CgroupDirectories(string name)
    {
        var found = new List<string>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MaxRecursionDepth = 8, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (string root in Directory.EnumerateDirectories("/sys/fs/cgroup"))
        {
            try
            {
                found.AddRange(Directory.EnumerateDirectories(root, name, options));
            }
            catch (IOException)
            {
            }
        }
        if (Directory.Exists(Path.Combine("/sys/fs/cgroup", name)))
            found.Add(Path.Combine("/sys/fs/cgroup", name));
        return found.Distinct().ToList();
    }

    public static void DeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string Unescape(string field)
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length)
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
                text.Append(field[i]);
        }
        return text.ToString();
    }

    /// <summary>
    /// Kills the berth-keeper of a data root (live restore), found by the socket path on its command line: after a
    /// failed test it may still keep containers the test killed, and would outlive the test.
    /// </summary>
    public static void KillKeeper(string dataRoot)
    {
        string socket = Path.Combine(dataRoot, "keeper.sock");
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
                continue;
            try
            {
                string[] argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (argv.Length >= 2 && argv[0].EndsWith("berth-keeper", StringComparison.Ordinal) && argv[1] == socket)
                    Berth.Interop.Sys.Kill(pid, 9);
            }
            catch (IOException)
            {
            }
        }
    }
}
