using System.Globalization;
using Berth.Api;

namespace Berth.Compose;

/// <summary>
/// Turns a service into the <c>POST /containers/create</c> body docker compose v2 would send: names
/// <c>project-service-N</c> (or <c>container_name</c>), compose labels with the config hash, the service's keys
/// mapped to Config and HostConfig, its first network in NetworkingConfig (the others are connected before start).
/// RestartPolicy and Healthcheck are sent as docker sends them; the engine acts on them (issue 16).
/// </summary>
public sealed class ContainerPlanner(ComposeProject project)
{
    public ComposeProject Project => project;

    public static string ContainerName(ComposeProject project, string service, int number, bool oneOff = false) =>
        oneOff ? $"{project.Name}-{service}-run-{Guid.NewGuid().ToString("N")[..12]}" : $"{project.Name}-{service}-{number}";

    public string NetworkName(string network) =>
        project.Networks.TryGetValue(network, out var node) && ((node["name"] as ScalarNode)?.Value is { } name) ? name : $"{project.Name}_{network}";

    public string VolumeName(string volume) =>
        project.Volumes.TryGetValue(volume, out var node) && ((node["name"] as ScalarNode)?.Value is { } name) ? name : $"{project.Name}_{volume}";

    public string ImageName(string service)
    {
        var node = project.Services[service];
        return (node["image"] as ScalarNode)?.Value ?? $"{project.Name}-{service}";
    }

    /// <summary>The networks the service joins, in order, with their compose node (aliases, ipv4_address); "default" when it names none.</summary>
    public List<(string Network, MapNode? Settings)> Networks(string service)
    {
        var node = project.Services[service];
        if (node["network_mode"] is not null)
            return [];
        if (node["networks"] is MapNode networks && networks.Entries.Count > 0)
            return networks.Entries.Select(e => (e.Key, e.Value as MapNode)).ToList();
        return [("default", null)];
    }

    public string ConfigHash(string service) => NodeText.Hash(project.Services[service]);

    public ContainerCreateRequest Create(string service, int number, bool oneOff, IReadOnlyDictionary<string, string> serviceContainers)
    {
        var node = project.Services[service];
        var request = new ContainerCreateRequest
        {
            Image = ImageName(service),
            Hostname = Text(node, "hostname") ?? "",
            Domainname = Text(node, "domainname") ?? "",
            User = Text(node, "user") ?? "",
            WorkingDir = Text(node, "working_dir") ?? "",
            StopSignal = Text(node, "stop_signal"),
            Tty = Bool(node, "tty"),
            OpenStdin = Bool(node, "stdin_open"),
            Cmd = Words(node["command"]),
            Entrypoint = Words(node["entrypoint"]),
            Env = Environment(node),
            Labels = Labels(service, node, number, oneOff),
            Healthcheck = Health(node),
        };
        if (Text(node, "stop_grace_period") is { } grace)
            request.StopTimeout = (int)Units.Duration(grace, node["stop_grace_period"]!).TotalSeconds;
        var exposed = new Dictionary<string, EmptyObject?>(StringComparer.Ordinal);
        foreach (string expose in ComposeLoader.Strings(node["expose"]))
            exposed[expose.Contains('/') ? expose : expose + "/tcp"] = new EmptyObject();
        var bindings = new Dictionary<string, List<PortBinding>?>(StringComparer.Ordinal);
        foreach (var port in ServicePorts.Parse(node))
        {
            string key = port.Target + "/" + port.Protocol;
            exposed[key] = new EmptyObject();
            if (!bindings.TryGetValue(key, out var list) || list is null)
                bindings[key] = list = [];
            list.Add(new PortBinding { HostIp = port.HostIp, HostPort = port.Published ?? "" });
        }
        request.ExposedPorts = exposed.Count > 0 ? exposed : null;

        var host = new HostConfig
        {
            PortBindings = bindings.Count > 0 ? bindings : null,
            Mounts = Mounts(node),
            RestartPolicy = Restart(node),
            Init = node["init"] is null ? null : Bool(node, "init"),
            ReadonlyRootfs = Bool(node, "read_only"),
            Privileged = Bool(node, "privileged"),
            CapAdd = NullIfEmpty(ComposeLoader.Strings(node["cap_add"])),
            CapDrop = NullIfEmpty(ComposeLoader.Strings(node["cap_drop"])),
            Dns = NullIfEmpty(ComposeLoader.Strings(node["dns"])),
            DnsSearch = NullIfEmpty(ComposeLoader.Strings(node["dns_search"])),
            DnsOptions = NullIfEmpty(ComposeLoader.Strings(node["dns_opt"])),
            GroupAdd = NullIfEmpty(ComposeLoader.Strings(node["group_add"])),
            SecurityOpt = NullIfEmpty(ComposeLoader.Strings(node["security_opt"])),
            ExtraHosts = node["extra_hosts"] is MapNode hosts && hosts.Entries.Count > 0 ? hosts.Entries.Select(e => $"{e.Key}:{(e.Value as ScalarNode)?.Value}").ToList() : null,
            Sysctls = Map(node["sysctls"]),
            LogConfig = Logging(node),
            PidsLimit = Long(node, "pids_limit"),
            VolumesFrom = NullIfEmpty(ComposeLoader.Strings(node["volumes_from"]).Select(v => v.StartsWith("container:", StringComparison.Ordinal) ? v[10..] : serviceContainers.GetValueOrDefault(v.Split(':')[0]) ?? v).ToList()),
        };
        var limits = ((node["deploy"] as MapNode)?["resources"] as MapNode)?["limits"] as MapNode;
        if ((Text(node, "mem_limit") ?? (limits?["memory"] as ScalarNode)?.Value) is { } memory)
            host.Memory = Units.Bytes(memory, node);
        if ((Text(node, "memswap_limit")) is { } swap)
            host.MemorySwap = swap == "-1" ? -1 : Units.Bytes(swap, node);
        if ((Text(node, "cpus") ?? (limits?["cpus"] as ScalarNode)?.Value) is { } cpus)
            host.NanoCpus = (long)(double.Parse(cpus, CultureInfo.InvariantCulture) * 1e9);
        if ((limits?["pids"] as ScalarNode)?.Value is { } pids)
            host.PidsLimit = long.Parse(pids, CultureInfo.InvariantCulture);
        if (Text(node, "shm_size") is { } shm)
            host.ShmSize = Units.Bytes(shm, node);
        if (Text(node, "cpu_shares") is { } shares)
            host.CpuShares = long.Parse(shares, CultureInfo.InvariantCulture);

        host.Links = NullIfEmpty(ComposeLoader.Strings(node["links"]).Select(link =>
        {
            string[] parts = link.Split(':', 2);
            string target = serviceContainers.GetValueOrDefault(parts[0]) ?? parts[0];
            return $"{target}:{(parts.Length == 2 ? parts[1] : parts[0])}";
        }).ToList());

        if (Text(node, "network_mode") is { } mode)
        {
            host.NetworkMode = mode.StartsWith("service:", StringComparison.Ordinal)
                ? "container:" + (serviceContainers.GetValueOrDefault(mode[8..]) ?? throw new ComposeFileException(node, $"service {service}: network_mode {mode}: no container of that service"))
                : mode;
        }
        else
        {
            var (network, settings) = Networks(service)[0];
            host.NetworkMode = NetworkName(network);
            request.NetworkingConfig = new NetworkingConfig { EndpointsConfig = new() { [NetworkName(network)] = Endpoint(service, settings, oneOff) } };
        }
        request.HostConfig = host;
        return request;
    }

    /// <summary>The endpoint of a service's container on a network: the service name (and its aliases) resolve to it, plus its fixed address.</summary>
    public EndpointSettings Endpoint(string service, MapNode? settings, bool oneOff)
    {
        var aliases = oneOff ? new List<string>() : [service];
        aliases.AddRange(ComposeLoader.Strings(settings?["aliases"]));
        var endpoint = new EndpointSettings { Aliases = aliases.Count > 0 ? aliases : null };
        string? ipv4 = (settings?["ipv4_address"] as ScalarNode)?.Value;
        string? ipv6 = (settings?["ipv6_address"] as ScalarNode)?.Value;
        if (ipv4 is not null || ipv6 is not null)
            endpoint.IPAMConfig = new EndpointIpamConfig { IPv4Address = ipv4 ?? "", IPv6Address = ipv6 ?? "" };
        return endpoint;
    }

    private Dictionary<string, string> Labels(string service, MapNode node, int number, bool oneOff)
    {
        var labels = Map(node["labels"]) ?? new Dictionary<string, string>(StringComparer.Ordinal);
        labels[ComposeLabels.Project] = project.Name;
        labels[ComposeLabels.Service] = service;
        labels[ComposeLabels.ContainerNumber] = number.ToString(CultureInfo.InvariantCulture);
        labels[ComposeLabels.OneOff] = oneOff ? "True" : "False";
        labels[ComposeLabels.ConfigHash] = ConfigHash(service);
        labels[ComposeLabels.WorkingDir] = project.WorkingDirectory;
        labels[ComposeLabels.ConfigFiles] = string.Join(',', project.ConfigFiles);
        labels[ComposeLabels.Version] = ComposeLabels.BerthComposeVersion;
        if (node["depends_on"] is MapNode depends && depends.Entries.Count > 0)
            labels[ComposeLabels.DependsOn] = string.Join(',', depends.Entries.Select(e => $"{e.Key}:{((e.Value as MapNode)?["condition"] as ScalarNode)?.Value ?? "service_started"}:false"));
        return labels;
    }

    private List<string>? Environment(MapNode node)
    {
        if (node["environment"] is not MapNode environment)
            return null;
        var list = new List<string>();
        foreach (var (key, value) in environment.Entries)
        {
            // A bare KEY takes the value from the environment compose runs in, and is left out when that has none.
            string? text = (value as ScalarNode)?.Value ?? project.Variables.GetValueOrDefault(key);
            if (text is not null)
                list.Add($"{key}={text}");
        }
        return list;
    }

    private List<Mount>? Mounts(MapNode node)
    {
        var mounts = new List<Mount>();
        foreach (var volume in ServiceVolumes.Parse(node, project.WorkingDirectory))
        {
            var mount = new Mount { Type = volume.Type, Target = volume.Target, ReadOnly = volume.ReadOnly };
            if (volume.Type == "volume")
            {
                if (volume.Source is { Length: > 0 } source)
                    mount.Source = VolumeName(source);
                if (volume.NoCopy)
                    mount.VolumeOptions = new MountVolumeOptions { NoCopy = true };
            }
            else if (volume.Type == "bind")
            {
                mount.Source = volume.Source!;
                mount.BindOptions = new MountBindOptions { CreateMountpoint = true };
            }
            else if (volume.TmpfsSize is long size)
            {
                mount.TmpfsOptions = new MountTmpfsOptions { SizeBytes = size };
            }
            mounts.Add(mount);
        }
        return mounts.Count > 0 ? mounts : null;
    }

    private static RestartPolicy? Restart(MapNode node)
    {
        if (Text(node, "restart") is { } restart)
        {
            string[] parts = restart.Split(':', 2);
            return new RestartPolicy
            {
                Name = parts[0] == "no" ? "no" : parts[0],
                MaximumRetryCount = parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0,
            };
        }
        if (((node["deploy"] as MapNode)?["restart_policy"] as MapNode) is { } policy)
        {
            string condition = (policy["condition"] as ScalarNode)?.Value ?? "any";
            int attempts = (policy["max_attempts"] as ScalarNode)?.Value is { } a ? int.Parse(a, CultureInfo.InvariantCulture) : 0;
            return new RestartPolicy { Name = condition switch { "none" => "no", "on-failure" => "on-failure", _ => "always" }, MaximumRetryCount = attempts };
        }
        return null;
    }

    private static HealthConfig? Health(MapNode node)
    {
        if (node["healthcheck"] is not MapNode health)
            return null;
        if (Bool(health, "disable"))
            return new HealthConfig { Test = ["NONE"] };
        var config = new HealthConfig();
        config.Test = health["test"] switch
        {
            ListNode list => ComposeLoader.Strings(list),
            ScalarNode { Value: { } shell } => ["CMD-SHELL", shell],
            _ => null,
        };
        long Nanos(string key) => Text(health, key) is { } text ? Units.Duration(text, health).Ticks * 100 : 0;
        config.Interval = Nanos("interval");
        config.Timeout = Nanos("timeout");
        config.StartPeriod = Nanos("start_period");
        config.StartInterval = Nanos("start_interval");
        config.Retries = Text(health, "retries") is { } retries ? int.Parse(retries, CultureInfo.InvariantCulture) : 0;
        return config;
    }

    private static LogConfig? Logging(MapNode node)
    {
        if (node["logging"] is not MapNode logging)
            return null;
        return new LogConfig { Type = Text(logging, "driver") ?? "", Config = Map(logging["options"]) };
    }

    private static List<string>? Words(ComposeNode? node) => node switch
    {
        ListNode list => ComposeLoader.Strings(list),
        ScalarNode { Value: { } text } => ShellWords.Split(text, node),
        _ => null,
    };

    private static Dictionary<string, string>? Map(ComposeNode? node)
    {
        if (node is not MapNode map || map.Entries.Count == 0)
            return null;
        return map.Entries.ToDictionary(e => e.Key, e => (e.Value as ScalarNode)?.Value ?? "", StringComparer.Ordinal);
    }

    private static string? Text(MapNode node, string key) => (node[key] as ScalarNode)?.Value;

    private static bool Bool(MapNode node, string key) => Text(node, key) is "true" or "True" or "yes" or "on";

    private static long? Long(MapNode node, string key) => Text(node, key) is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : null;

    private static List<string>? NullIfEmpty(List<string> list) => list.Count > 0 ? list : null;
}
