using System.Text;

namespace Berth.Engine.Host;

/// <summary>
/// One line of <c>/proc/&lt;pid&gt;/mountinfo</c> (proc(5)):
/// <c>36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue</c>.
/// <see cref="Root"/> is the path inside the filesystem that is mounted at <see cref="MountPoint"/>;
/// both are unescaped (the kernel writes space, tab, newline and backslash as octal escapes).
/// </summary>
public sealed record MountInfo(
    int MountId,
    int ParentId,
    string Device,
    string Root,
    string MountPoint,
    string MountOptions,
    IReadOnlyList<string> OptionalFields,
    string FileSystemType,
    string Source,
    string SuperOptions)
{
    /// <summary>The super options split at commas, e.g. <c>rw</c>, <c>cpu</c>, <c>cpuacct</c>.</summary>
    public IReadOnlyList<string> SuperOptionList => SuperOptions.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The mount table of the calling process: <c>&lt;procRoot&gt;/self/mountinfo</c>.</summary>
    public static IReadOnlyList<MountInfo> ReadSelf(string procRoot = "/proc") =>
        Parse(File.ReadAllText(Path.Combine(procRoot, "self", "mountinfo")));

    public static IReadOnlyList<MountInfo> Parse(string text)
    {
        var mounts = new List<MountInfo>();
        foreach (string line in text.Split('\n'))
        {
            if (line.Length > 0)
                mounts.Add(ParseLine(line));
        }
        return mounts;
    }

    public static MountInfo ParseLine(string line)
    {
        string[] fields = line.Split(' ');
        int separator = fields.Length >= 10 ? Array.IndexOf(fields, "-", 6) : -1;
        if (separator < 0 || fields.Length < separator + 4)
            throw new FormatException($"malformed mountinfo line `{line}`");
        if (!int.TryParse(fields[0], out int mountId) || !int.TryParse(fields[1], out int parentId))
            throw new FormatException($"malformed mountinfo line `{line}`: bad mount ids");
        return new MountInfo(
            mountId,
            parentId,
            fields[2],
            Unescape(fields[3]),
            Unescape(fields[4]),
            fields[5],
            fields[6..separator],
            fields[separator + 1],
            Unescape(fields[separator + 2]),
            fields[separator + 3]);
    }

    /// <summary>Decodes the kernel's <c>\ooo</c> octal escapes (<c>\040</c> is a space).</summary>
    internal static string Unescape(string field)
    {
        if (!field.Contains('\\'))
            return field;
        byte[] input = Encoding.UTF8.GetBytes(field);
        var output = new List<byte>(input.Length);
        for (int i = 0; i < input.Length; i++)
        {
            if (input[i] == '\\' && IsOctal(input, i + 1))
            {
                output.Add((byte)(((input[i + 1] - '0') << 6) | ((input[i + 2] - '0') << 3) | (input[i + 3] - '0')));
                i += 3;
            }
            else
            {
                output.Add(input[i]);
            }
        }
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static bool IsOctal(byte[] s, int start)
    {
        for (int i = start; i < start + 3; i++)
        {
            if (i >= s.Length || s[i] < '0' || s[i] > '7')
                return false;
        }
        return true;
    }
}
