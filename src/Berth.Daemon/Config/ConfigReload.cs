using Berth.Daemon.Api;
using Berth.Engine.Logs;

namespace Berth.Daemon.Config;

/// <summary>What a SIGHUP changes: the keys applied live, and those whose new value waits for a restart.</summary>
public sealed class ConfigReload
{
    public List<string> Reloaded { get; } = [];

    public List<string> NeedRestart { get; } = [];

    /// <summary>
    /// Applies <paramref name="fresh"/>'s reloadable keys: log-level (the logger's switch), insecure-registries,
    /// registry-mirrors and max-concurrent-downloads/uploads (a new registry service for the next pulls), log-driver and
    /// log-opts (the engine's default log config, which later creates copy). Other changed keys are listed as needing a restart.
    /// </summary>
    public static ConfigReload Apply(DaemonOptions current, DaemonOptions fresh, ApiServices? services, LogConfig engineDefaultLog, LogLevelSwitch? logLevel)
    {
        var result = new ConfigReload();
        if (fresh.LogLevel != (logLevel?.Level ?? current.LogLevel))
        {
            if (logLevel is not null)
                logLevel.Level = fresh.LogLevel;
            result.Reloaded.Add($"log-level={fresh.LogLevel}");
        }
        var (a, b) = (current.Registry, fresh.Registry);
        if (!a.InsecureRegistries.SequenceEqual(b.InsecureRegistries) || !a.Mirrors.SequenceEqual(b.Mirrors)
            || a.MaxConcurrentDownloads != b.MaxConcurrentDownloads || a.MaxConcurrentUploads != b.MaxConcurrentUploads)
        {
            if (services is not null)
                services.Registry = new Berth.Registry.RegistryService(b, services.LoggerFactory.CreateLogger("Berth.Registry"));
            result.Reloaded.Add($"insecure-registries=[{string.Join(" ", b.InsecureRegistries)}], registry-mirrors=[{string.Join(" ", b.Mirrors)}], max-concurrent-downloads={b.MaxConcurrentDownloads}, max-concurrent-uploads={b.MaxConcurrentUploads}");
        }
        var (oldLog, newLog) = (engineDefaultLog, fresh.DefaultLogConfig);
        if (oldLog.Type != newLog.Type || oldLog.Config.Count != newLog.Config.Count || oldLog.Config.Any(kv => !newLog.Config.TryGetValue(kv.Key, out var v) || v != kv.Value))
        {
            // The engine holds this one object: containers created from now on merge the new values (running ones keep theirs, as in Docker).
            engineDefaultLog.Config = new Dictionary<string, string>(newLog.Config);
            engineDefaultLog.Type = newLog.Type;
            result.Reloaded.Add($"log-driver={newLog.Type}, log-opts={{{string.Join(" ", newLog.Config.Select(kv => $"{kv.Key}={kv.Value}"))}}}");
        }
        void Restart(string key, bool changed)
        {
            if (changed)
                result.NeedRestart.Add(key);
        }
        Restart("data-root", current.DataRoot != fresh.DataRoot);
        Restart("hosts", !current.Hosts.SequenceEqual(fresh.Hosts));
        Restart("group", current.Group != fresh.Group);
        Restart("live-restore", current.LiveRestore != fresh.LiveRestore);
        Restart("shutdown-timeout", current.ShutdownTimeout != fresh.ShutdownTimeout);
        Restart("cgroup-parent", current.CgroupParent != fresh.CgroupParent);
        Restart("bip", current.Bip != fresh.Bip);
        Restart("default-address-pools", !(current.DefaultAddressPools ?? []).SequenceEqual(fresh.DefaultAddressPools ?? []));
        return result;
    }
}
