namespace Berth.Engine.Security;

/// <summary>Linux capability names and numbers, and Docker's default set (moby oci/caps/defaults.go).</summary>
public static class Capabilities
{
    private static readonly string[] Names =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
        "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
    ];

    /// <summary>The 14 capabilities Docker gives a container.</summary>
    public static readonly IReadOnlyList<string> DockerDefaults =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
        "CAP_AUDIT_WRITE",
    ];

    public static IReadOnlyList<string> All => Names;

    /// <summary>
    /// The daemon's bounding set (CapBnd of /proc/self/status): what a container can be given at all. A host or an
    /// outer container may lack some (this project's CI has no CAP_SYS_RESOURCE), and capset fails with EPERM for
    /// any capability outside it, so --privileged and --cap-add ALL grant the intersection, as moby's
    /// GetAllCapabilities does.
    /// </summary>
    public static ulong Bounding { get; } = ReadBounding();

    /// <summary>The capabilities Berth knows that the daemon's bounding set lacks (shown as a warning by /info).</summary>
    public static IReadOnlyList<string> Unavailable { get; } = Names.Where((_, i) => (Bounding & (1UL << i)) == 0).ToArray();

    internal static ulong ReadBounding()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("CapBnd:", StringComparison.Ordinal))
                return ulong.Parse(line.AsSpan("CapBnd:".Length).Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        throw new InvalidOperationException("/proc/self/status has no CapBnd line");
    }

    /// <summary>The capability number for a name, with or without the CAP_ prefix, in any case.</summary>
    public static int Number(string name)
    {
        string normalized = name.ToUpperInvariant();
        if (!normalized.StartsWith("CAP_", StringComparison.Ordinal))
            normalized = "CAP_" + normalized;
        int index = Array.IndexOf(Names, normalized);
        return index >= 0 ? index : throw new InvalidParameterException($"unknown capability: \"{name}\"");
    }

    public static ulong ToMask(IEnumerable<string> names)
    {
        ulong mask = 0;
        foreach (string name in names)
            mask |= 1UL << Number(name);
        return mask;
    }

    /// <summary>
    /// Docker's default set with --cap-add / --cap-drop applied ("ALL" allowed in either); --privileged and "ALL"
    /// mean all that the daemon's bounding set holds.
    /// </summary>
    public static ulong Resolve(IEnumerable<string>? add, IEnumerable<string>? drop, bool privileged)
    {
        if (privileged)
            return ToMask(Names) & Bounding;
        var set = new HashSet<string>(DockerDefaults);
        foreach (string name in drop ?? [])
        {
            if (name.Equals("ALL", StringComparison.OrdinalIgnoreCase))
                set.Clear();
            else
                set.Remove(Names[Number(name)]);
        }
        foreach (string name in add ?? [])
        {
            if (name.Equals("ALL", StringComparison.OrdinalIgnoreCase))
                set.UnionWith(Names.Except(Unavailable));
            else
                set.Add(Names[Number(name)]);
        }
        return ToMask(set);
    }
}
