namespace Berth.Compose;

/// <summary>
/// Brings the short forms of a service's keys to their long forms before files are merged, so that the merge rules of
/// the Compose Specification apply to one shape: <c>environment</c>, <c>labels</c>, <c>extra_hosts</c>, <c>sysctls</c>
/// as mappings (<c>K=V</c> lists become maps; a bare <c>K</c> in environment stays null: taken from the shell);
/// <c>networks</c> and <c>depends_on</c> lists as mappings; <c>build</c> and <c>extends</c> strings as mappings.
/// </summary>
public static class ServiceShapes
{
    /// <summary>The keys a service may have (compose-spec's schema); anything else but <c>x-*</c> is an error, as docker compose rejects it.</summary>
    public static readonly HashSet<string> Keys = new(StringComparer.Ordinal)
    {
        "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup", "cgroup_parent", "command", "configs", "container_name",
        "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset", "credential_spec",
        "depends_on", "deploy", "develop", "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "domainname", "entrypoint", "env_file",
        "environment", "expose", "extends", "external_links", "extra_hosts", "group_add", "healthcheck", "hostname", "image", "init", "ipc",
        "isolation", "labels", "links", "logging", "mac_address", "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit", "network_mode",
        "networks", "oom_kill_disable", "oom_score_adj", "pid", "pids_limit", "platform", "ports", "privileged", "profiles", "pull_policy",
        "read_only", "restart", "runtime", "scale", "secrets", "security_opt", "shm_size", "stdin_open", "stop_grace_period", "stop_signal",
        "storage_opt", "sysctls", "tmpfs", "tty", "ulimits", "user", "userns_mode", "uts", "volumes", "volumes_from", "working_dir",
    };

    public static MapNode Normalize(string name, ComposeNode node)
    {
        if (node is ScalarNode { Value: null })
            return new MapNode(node.File, node.Line);
        if (node is not MapNode service)
            throw new ComposeFileException(node, $"services.{name} must be a mapping");
        var copy = new MapNode(service.File, service.Line);
        foreach (var (key, value) in service.Entries)
        {
            if (!Keys.Contains(key) && !key.StartsWith("x-", StringComparison.Ordinal))
                throw new ComposeFileException(value, $"services.{name} additional property {key} is not allowed");
            copy.Entries[key] = key switch
            {
                "environment" or "labels" or "extra_hosts" or "sysctls" or "annotations" => KeyValues(value, name, key),
                "networks" or "depends_on" => NamesToMap(value, name, key),
                "build" or "extends" when value is ScalarNode scalar => Single(scalar, key == "build" ? "context" : "service"),
                _ => value,
            };
        }
        return copy;
    }

    private static MapNode Single(ScalarNode scalar, string key)
    {
        var map = new MapNode(scalar.File, scalar.Line);
        map.Entries[key] = scalar;
        return map;
    }

    private static MapNode KeyValues(ComposeNode value, string service, string key)
    {
        switch (value)
        {
            case MapNode map:
                return map;
            case ListNode list:
                var result = new MapNode(list.File, list.Line);
                foreach (var item in list.Items)
                {
                    string text = item is ScalarNode { Value: { } t } ? t : throw new ComposeFileException(item, $"services.{service}.{key} items must be strings");
                    // extra_hosts are written "host:ip" (or "host=ip" since compose 2.24).
                    char separator = key == "extra_hosts" && !text.Contains('=') ? ':' : '=';
                    int at = text.IndexOf(separator);
                    result.Entries[at < 0 ? text : text[..at]] = new ScalarNode(item.File, item.Line, at < 0 ? null : text[(at + 1)..], true);
                }
                return result;
            case ScalarNode { Value: null }:
                return new MapNode(value.File, value.Line);
            default:
                throw new ComposeFileException(value, $"services.{service}.{key} must be a mapping or a list");
        }
    }

    private static MapNode NamesToMap(ComposeNode value, string service, string key)
    {
        switch (value)
        {
            case MapNode map:
                return map;
            case ListNode list:
                var result = new MapNode(list.File, list.Line);
                foreach (var item in list.Items)
                {
                    string name = item is ScalarNode { Value: { } t } ? t : throw new ComposeFileException(item, $"services.{service}.{key} items must be strings");
                    var entry = new MapNode(item.File, item.Line);
                    if (key == "depends_on")
                        entry.Entries["condition"] = new ScalarNode(item.File, item.Line, "service_started", false);
                    result.Entries[name] = entry;
                }
                return result;
            default:
                throw new ComposeFileException(value, $"services.{service}.{key} must be a mapping or a list");
        }
    }
}
