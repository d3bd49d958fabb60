namespace Berth.Engine.Rootfs;

/// <summary>Reads the calling process's mount table (/proc/self/mountinfo).</summary>
public static class MountTable
{
    public static bool IsMountPoint(string path)
    {
        string full = Path.GetFullPath(path).TrimEnd('/');
        foreach (string mountPoint in MountPoints())
            if (mountPoint == full)
                return true;
        return false;
    }

    /// <summary>Mount points at or below <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> MountPointsUnder(string directory)
    {
        string prefix = Path.GetFullPath(directory).TrimEnd('/') + "/";
        return MountPoints().Where(m => m.StartsWith(prefix, StringComparison.Ordinal) || m + "/" == prefix).ToList();
    }

    private static IEnumerable<string> MountPoints()
    {
        foreach (string line in File.ReadLines("/proc/self/mountinfo"))
        {
            // 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw  (field 5 is the mount point)
            string[] fields = line.Split(' ', 6);
            if (fields.Length >= 5)
                yield return Unescape(fields[4]);
        }
    }

    /// <summary>mountinfo escapes space, tab, newline and backslash as \ooo octal.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\'))
            return field;
        var result = new System.Text.StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length)
            {
                result.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                result.Append(field[i]);
            }
        }
        return result.ToString();
    }
}
