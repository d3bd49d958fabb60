using System.Globalization;

namespace Berth.Engine.Volumes;

/// <summary>
/// tmpfs mount data. `--tmpfs /run:size=64m,mode=1777,uid=1000` passes words that are mount(8) flags (ro, noexec,
/// exec...) or tmpfs options; <c>size</c> and <c>mode</c> are checked here so that a bad value is a 400 at
/// create, not a failed start. `--mount type=tmpfs` gives bytes and a mode, written the same way.
/// </summary>
public static class TmpfsOptions
{
    private static readonly HashSet<string> Known =
    [
        "size", "mode", "uid", "gid", "nr_inodes", "nr_blocks", "huge", "mpol", "inode32", "inode64", "noswap",
        "ro", "rw", "exec", "noexec", "suid", "nosuid", "dev", "nodev", "sync", "async", "atime", "noatime",
        "diratime", "nodiratime", "relatime", "norelatime", "strictatime", "nostrictatime", "tmpcopyup", "notmpcopyup",
        "rprivate", "private", "rslave", "slave", "rshared", "shared",
    ];

    /// <summary>moby's defaults for every tmpfs of a container, which the user's words may override (`exec`).</summary>
    private const string Defaults = "noexec,nosuid,nodev";

    /// <summary>Checks `--tmpfs` options and returns them as mount words (sizes in bytes), after moby's defaults.</summary>
    public static string Normalize(string destination, string options)
    {
        var words = new List<string> { Defaults };
        foreach (string word in options.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = word.IndexOf('=');
            string key = eq < 0 ? word : word[..eq];
            string value = eq < 0 ? "" : word[(eq + 1)..];
            if (!Known.Contains(key))
                throw new InvalidParameterException($"invalid tmpfs option for {destination}: unknown option \"{key}\"");
            switch (key)
            {
                case "size" when value.EndsWith('%'):
                    if (!int.TryParse(value[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out _))
                        throw new InvalidParameterException($"invalid tmpfs option for {destination}: size \"{value}\" is not a size");
                    words.Add(word);
                    break;
                case "size":
                    words.Add("size=" + ByteSize.Parse(value, $"tmpfs size for {destination}").ToString(CultureInfo.InvariantCulture));
                    break;
                case "mode":
                    words.Add("mode=" + Convert.ToString(ParseMode(destination, value), 8));
                    break;
                case "tmpcopyup" or "notmpcopyup" or "rprivate" or "private" or "rslave" or "slave" or "rshared" or "shared":
                    break; // runc's and the propagation words, not tmpfs data
                default:
                    words.Add(word);
                    break;
            }
        }
        return string.Join(',', words);
    }

    /// <summary>The data of a `--mount type=tmpfs` (TmpfsOptions.SizeBytes and Mode).</summary>
    public static string FromSpec(long sizeBytes, uint mode, bool readOnly)
    {
        var words = new List<string> { Defaults };
        if (readOnly)
            words.Add("ro");
        if (sizeBytes > 0)
            words.Add("size=" + sizeBytes.ToString(CultureInfo.InvariantCulture));
        if (mode != 0)
            words.Add("mode=" + Convert.ToString(mode & 0xFFF, 8));
        return string.Join(',', words);
    }

    /// <summary>The mount flags and the tmpfs data of normalized words.</summary>
    public static (ulong Flags, string Data) ToMount(string words) => LocalVolumeOptions.Split(words);

    private static uint ParseMode(string destination, string value)
    {
        try
        {
            uint mode = Convert.ToUInt32(value, 8);
            if (mode <= 0xFFF)
                return mode;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
        }
        throw new InvalidParameterException($"invalid tmpfs option for {destination}: mode \"{value}\" is not an octal file mode");
    }
}
