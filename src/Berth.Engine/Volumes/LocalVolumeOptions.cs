using Berth.Interop;

namespace Berth.Engine.Volumes;

/// <summary>
/// The <c>local</c> driver's options on Linux, as moby's volume/local/local_unix.go: <c>type</c>, <c>device</c>
/// and <c>o</c> are a mount(2) done on the volume's data directory when a container first uses it; <c>size</c>
/// needs an XFS project quota, which Berth does not set up.
/// </summary>
public static class LocalVolumeOptions
{
    private static readonly string[] Valid = ["type", "device", "o", "size"];

    private static readonly (string Option, string[] Requires)[] Mandatory =
    [
        ("device", ["type"]),
        ("type", ["device"]),
        ("o", ["device", "type"]),
    ];

    // mount(8) flag words, as moby's mount.parseOptions knows them; the other words go to the filesystem as data.
    private static readonly Dictionary<string, (bool Clear, ulong Flag)> Flags = new()
    {
        ["ro"] = (false, Libc.MS_RDONLY), ["rw"] = (true, Libc.MS_RDONLY),
        ["nosuid"] = (false, Libc.MS_NOSUID), ["suid"] = (true, Libc.MS_NOSUID),
        ["nodev"] = (false, Libc.MS_NODEV), ["dev"] = (true, Libc.MS_NODEV),
        ["noexec"] = (false, Libc.MS_NOEXEC), ["exec"] = (true, Libc.MS_NOEXEC),
        ["sync"] = (false, 16 /* MS_SYNCHRONOUS */), ["async"] = (true, 16),
        ["noatime"] = (false, 1024 /* MS_NOATIME */), ["atime"] = (true, 1024),
        ["nodiratime"] = (false, 2048 /* MS_NODIRATIME */), ["diratime"] = (true, 2048),
        ["relatime"] = (false, 1 << 21 /* MS_RELATIME */), ["norelatime"] = (true, 1 << 21),
        ["strictatime"] = (false, 1 << 24 /* MS_STRICTATIME */),
        ["bind"] = (false, Libc.MS_BIND), ["rbind"] = (false, Libc.MS_BIND | Libc.MS_REC),
        ["defaults"] = (false, 0),
    };

    /// <summary>Refuses what moby's validateOpts refuses, with its words.</summary>
    public static void Validate(IReadOnlyDictionary<string, string> options)
    {
        foreach (string key in options.Keys)
            if (!Valid.Contains(key))
                throw new InvalidParameterException($"invalid option: \"{key}\"");
        if (options.TryGetValue("size", out string? size))
        {
            long bytes = ByteSize.Parse(size, "size");
            if (bytes > 0)
                throw new InvalidParameterException("quota size requested but no quota support");
        }
        foreach (var (option, requires) in Mandatory)
            if (options.ContainsKey(option))
                foreach (string required in requires)
                    if (!options.ContainsKey(required))
                        throw new InvalidParameterException($"missing required option: \"{required}\"");
    }

    /// <summary>Whether the volume is a mount rather than a plain directory.</summary>
    public static bool NeedsMount(IReadOnlyDictionary<string, string> options) => options.ContainsKey("type");

    /// <summary>Mounts the volume's device on its data directory.</summary>
    public static void Mount(IReadOnlyDictionary<string, string> options, string mountpoint)
    {
        string type = options["type"];
        string device = options["device"];
        var (flags, data) = Split(options.GetValueOrDefault("o") ?? "");
        // moby: for a bind, the "device" is a host path; type "none" is what `-o o=bind` is used with.
        string? fstype = (flags & Libc.MS_BIND) != 0 ? null : type;
        Sys.Mount(device, mountpoint, fstype, flags, data.Length == 0 ? null : data);
        // A bind mount ignores MS_RDONLY: read-only takes a remount.
        if (fstype is null && (flags & Libc.MS_RDONLY) != 0)
            Sys.Mount(null, mountpoint, null, Libc.MS_BIND | Libc.MS_REMOUNT | Libc.MS_RDONLY);
    }

    /// <summary>Splits an <c>o=</c> string into mount flags and the filesystem's own options.</summary>
    internal static (ulong Flags, string Data) Split(string o)
    {
        ulong flags = 0;
        var data = new List<string>();
        foreach (string word in o.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Flags.TryGetValue(word, out var flag))
                flags = flag.Clear ? flags & ~flag.Flag : flags | flag.Flag;
            else
                data.Add(word);
        }
        return (flags, string.Join(',', data));
    }
}
