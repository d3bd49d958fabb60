namespace Berth.Bench;

/// <summary>The processes of the host as (pid, command line with spaces) and their memory from /proc.</summary>
public static class ProcessTable
{
    public static IEnumerable<(int Pid, string Cmdline)> All()
    {
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
                continue;
            string cmdline;
            try
            {
                cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (cmdline.Length > 0)
                yield return (pid, cmdline);
        }
    }

    /// <summary>Proportional set size in KiB (smaps_rollup "Pss"), 0 when the process is gone.</summary>
    public static long PssKiB(int pid) => Field($"/proc/{pid}/smaps_rollup", "Pss:");

    /// <summary>Resident set size in KiB (status "VmRSS"), 0 when the process is gone.</summary>
    public static long RssKiB(int pid) => Field($"/proc/{pid}/status", "VmRSS:");

    /// <summary>The smaps_rollup fields (Rss, Pss, Pss_Anon, Pss_File, ...) in KiB.</summary>
    public static Dictionary<string, long> Rollup(int pid)
    {
        var fields = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/smaps_rollup").Skip(1))
            {
                var parts = line.Split(':', 2);
                if (parts.Length == 2 && long.TryParse(parts[1].Trim().Split(' ')[0], out long kib))
                    fields[parts[0]] = kib;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return fields;
    }

    private static long Field(string path, string name)
    {
        try
        {
            foreach (string line in File.ReadLines(path))
                if (line.StartsWith(name, StringComparison.Ordinal))
                    return long.Parse(line[name.Length..].Trim().Split(' ')[0]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return 0;
    }
}
