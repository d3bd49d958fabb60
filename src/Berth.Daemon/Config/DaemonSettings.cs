namespace Berth.Daemon.Config;

/// <summary>
/// The daemon settings that can come from a flag or from daemon.json, under dockerd's key names. A null member was not
/// given. <see cref="DaemonConfiguration.Resolve"/> merges the flags' and the file's and refuses a key set by both.
/// </summary>
public sealed class DaemonSettings
{
    public string? DataRoot { get; set; }

    public List<string>? Hosts { get; set; }

    public string? Group { get; set; }

    public string? LogLevel { get; set; }

    public string? LogDriver { get; set; }

    public Dictionary<string, string>? LogOpts { get; set; }

    public bool? LiveRestore { get; set; }

    /// <summary>`default-address-pools`, each as a `base=CIDR,size=N` string (the flag's form).</summary>
    public List<string>? DefaultAddressPools { get; set; }

    public string? Bip { get; set; }

    public List<string>? InsecureRegistries { get; set; }

    public List<string>? RegistryMirrors { get; set; }

    public int? MaxConcurrentDownloads { get; set; }

    public int? MaxConcurrentUploads { get; set; }

    /// <summary>`default-ulimits`: Berth has no ulimits yet (`--ulimit` is refused), so only an empty set is accepted.</summary>
    public Dictionary<string, string>? DefaultUlimits { get; set; }

    public string? CgroupParent { get; set; }

    public int? ShutdownTimeout { get; set; }

    /// <summary>The keys given, with their values as text, in dockerd's names (for conflicts and reload messages).</summary>
    public IEnumerable<(string Key, string Value)> Given()
    {
        if (DataRoot is not null) yield return ("data-root", DataRoot);
        if (Hosts is not null) yield return ("hosts", Text(Hosts));
        if (Group is not null) yield return ("group", Group);
        if (LogLevel is not null) yield return ("log-level", LogLevel);
        if (LogDriver is not null) yield return ("log-driver", LogDriver);
        if (LogOpts is not null) yield return ("log-opts", Text(LogOpts.Select(o => $"{o.Key}={o.Value}")));
        if (LiveRestore is not null) yield return ("live-restore", LiveRestore.Value ? "true" : "false");
        if (DefaultAddressPools is not null) yield return ("default-address-pools", Text(DefaultAddressPools));
        if (Bip is not null) yield return ("bip", Bip);
        if (InsecureRegistries is not null) yield return ("insecure-registries", Text(InsecureRegistries));
        if (RegistryMirrors is not null) yield return ("registry-mirrors", Text(RegistryMirrors));
        if (MaxConcurrentDownloads is not null) yield return ("max-concurrent-downloads", MaxConcurrentDownloads.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (MaxConcurrentUploads is not null) yield return ("max-concurrent-uploads", MaxConcurrentUploads.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (DefaultUlimits is not null) yield return ("default-ulimits", Text(DefaultUlimits.Select(o => $"{o.Key}={o.Value}")));
        if (CgroupParent is not null) yield return ("cgroup-parent", CgroupParent);
        if (ShutdownTimeout is not null) yield return ("shutdown-timeout", ShutdownTimeout.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string Text(IEnumerable<string> values) => "[" + string.Join(" ", values) + "]";

    /// <summary>This instance's value of each member, or <paramref name="fallback"/>'s where this one has none.</summary>
    public DaemonSettings Over(DaemonSettings fallback) => new()
    {
        DataRoot = DataRoot ?? fallback.DataRoot,
        Hosts = Hosts ?? fallback.Hosts,
        Group = Group ?? fallback.Group,
        LogLevel = LogLevel ?? fallback.LogLevel,
        LogDriver = LogDriver ?? fallback.LogDriver,
        LogOpts = LogOpts ?? fallback.LogOpts,
        LiveRestore = LiveRestore ?? fallback.LiveRestore,
        DefaultAddressPools = DefaultAddressPools ?? fallback.DefaultAddressPools,
        Bip = Bip ?? fallback.Bip,
        InsecureRegistries = InsecureRegistries ?? fallback.InsecureRegistries,
        RegistryMirrors = RegistryMirrors ?? fallback.RegistryMirrors,
        MaxConcurrentDownloads = MaxConcurrentDownloads ?? fallback.MaxConcurrentDownloads,
        MaxConcurrentUploads = MaxConcurrentUploads ?? fallback.MaxConcurrentUploads,
        DefaultUlimits = DefaultUlimits ?? fallback.DefaultUlimits,
        CgroupParent = CgroupParent ?? fallback.CgroupParent,
        ShutdownTimeout = ShutdownTimeout ?? fallback.ShutdownTimeout,
    };
}
