using Berth.Engine;
using Berth.Engine.Logs;
using Berth.Network.Ipam;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Config;

/// <summary>
/// berthd's configuration as dockerd's: the flags given on the command line over daemon.json over the defaults. A key
/// both flagged and in the file, or a bad value, is a <see cref="DaemonConfigException"/> naming the key.
/// </summary>
public static class DaemonConfiguration
{
    /// <summary>The value of every key when neither a flag nor the file gives it.</summary>
    public static DaemonSettings Defaults() => new()
    {
        DataRoot = "/var/lib/berth",
        Hosts = [DaemonOptions.DefaultHost],
        Group = "berth",
        LogLevel = "info",
        LogDriver = LogSettings.JsonFile,
        LogOpts = [],
        LiveRestore = DaemonOptions.LiveRestoreDefault,
        DefaultAddressPools = [],
        InsecureRegistries = [],
        RegistryMirrors = [],
        MaxConcurrentDownloads = 3,
        MaxConcurrentUploads = 5,
        DefaultUlimits = [],
        CgroupParent = "berth",
        ShutdownTimeout = DaemonOptions.DefaultShutdownTimeout,
    };

    /// <summary>The flags over the file over the defaults; a key given by both is refused, as dockerd does.</summary>
    public static DaemonSettings Merge(DaemonSettings flags, DaemonSettings file)
    {
        var fromFile = file.Given().ToDictionary(g => g.Key, g => g.Value);
        var conflicts = flags.Given()
            .Where(f => fromFile.ContainsKey(f.Key))
            .Select(f => $"{f.Key}: (from flag: {f.Value}, from file: {fromFile[f.Key]})")
            .ToList();
        if (conflicts.Count > 0)
            throw new DaemonConfigException($"the following directives are specified both as a flag and in the configuration file: {string.Join(", ", conflicts)}");
        return flags.Over(file).Over(Defaults());
    }

    /// <summary>Checks every value of merged settings and builds berthd's options (the flags that have no key come in <paramref name="flagOnly"/>).</summary>
    public static DaemonOptions ToOptions(DaemonSettings s, DaemonOptions flagOnly)
    {
        if (s.DefaultUlimits is { Count: > 0 })
            throw new DaemonConfigException("`default-ulimits` is not supported by Berth yet (containers' ulimits are not implemented; `--ulimit` is refused too)");
        if (s.ShutdownTimeout is < 0)
            throw new DaemonConfigException($"invalid `shutdown-timeout` {s.ShutdownTimeout}: must be 0 or more seconds");
        if (s.MaxConcurrentDownloads is < 1)
            throw new DaemonConfigException($"invalid `max-concurrent-downloads` {s.MaxConcurrentDownloads}: must be at least 1");
        if (s.MaxConcurrentUploads is < 1)
            throw new DaemonConfigException($"invalid `max-concurrent-uploads` {s.MaxConcurrentUploads}: must be at least 1");
        if (string.IsNullOrWhiteSpace(s.DataRoot))
            throw new DaemonConfigException("`data-root` must not be empty");
        if (string.IsNullOrWhiteSpace(s.CgroupParent) || s.CgroupParent.StartsWith('/') || s.CgroupParent.Split('/').Any(p => p is "" or "." or ".."))
            throw new DaemonConfigException($"invalid `cgroup-parent` `{s.CgroupParent}`: a relative cgroup name below berthd's own (Berth never writes an absolute host cgroup path)");
        if (s.Hosts!.Count == 0)
            throw new DaemonConfigException("`hosts` must name at least one address");
        foreach (string host in s.Hosts)
            ListenAddress.Check(host);
        var pools = new List<(Ipv4Cidr, int)>();
        foreach (string pool in s.DefaultAddressPools!)
        {
            try
            {
                pools.Add(AddressPools.ParsePool(pool));
            }
            catch (FormatException e)
            {
                throw new DaemonConfigException($"invalid `default-address-pools`: {e.Message}");
            }
        }
        if (s.Bip is { } bip && (!Ipv4Cidr.TryParse(bip, out var bipCidr) || bipCidr.PrefixLength > 30))
            throw new DaemonConfigException($"invalid `bip` `{bip}`: want the bridge's address with its prefix, e.g. 172.26.0.1/16");
        return new DaemonOptions
        {
            Hosts = s.Hosts,
            DataRoot = Path.GetFullPath(s.DataRoot),
            CgroupParent = s.CgroupParent,
            Group = s.Group!,
            LogLevel = ParseLogLevel(s.LogLevel!),
            DefaultLogConfig = ParseLogConfig(s.LogDriver!, s.LogOpts!),
            LiveRestore = s.LiveRestore!.Value,
            ShutdownTimeout = s.ShutdownTimeout!.Value,
            DefaultAddressPools = pools.Count > 0 ? pools : null,
            Bip = s.Bip,
            NetworkNamespace = flagOnly.NetworkNamespace,
            MaxImageUnpackedSize = flagOnly.MaxImageUnpackedSize,
            Registry = new Berth.Registry.RegistryOptions
            {
                InsecureRegistries = s.InsecureRegistries!,
                Mirrors = ParseMirrors(s.RegistryMirrors!),
                MaxConcurrentDownloads = s.MaxConcurrentDownloads!.Value,
                MaxConcurrentUploads = s.MaxConcurrentUploads!.Value,
                CertsDirectory = flagOnly.Registry.CertsDirectory,
            },
        };
    }

    /// <summary>dockerd's levels (debug, info, warn, error, fatal); Berth also takes "warning".</summary>
    public static LogLevel ParseLogLevel(string level) => level switch
    {
        "debug" => LogLevel.Debug,
        "info" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "fatal" => LogLevel.Critical,
        _ => throw new DaemonConfigException($"invalid `log-level` `{level}`: want debug, info, warn, error or fatal"),
    };

    public static LogConfig ParseLogConfig(string driver, Dictionary<string, string> opts)
    {
        var config = new LogConfig { Type = driver, Config = new Dictionary<string, string>(opts) };
        try
        {
            LogSettings.Parse(config);
        }
        catch (InvalidParameterException e)
        {
            throw new DaemonConfigException($"invalid `log-driver`/`log-opts`: {e.Message}");
        }
        return config;
    }

    /// <summary>moby's ValidateMirror: an http or https URL with nothing after the host but an optional "/".</summary>
    public static List<Uri> ParseMirrors(IEnumerable<string> mirrors)
    {
        var parsed = new List<Uri>();
        foreach (string mirror in mirrors)
        {
            if (!Uri.TryCreate(mirror, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || uri.Query.Length > 0)
                throw new DaemonConfigException($"invalid `registry-mirrors` entry `{mirror}`: want http(s)://host[:port] with no path");
            parsed.Add(uri);
        }
        return parsed;
    }
}
