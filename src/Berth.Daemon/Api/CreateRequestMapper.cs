using Berth.Http;
using Wire = Berth.Api;
using Core = Berth.Engine.Containers;

namespace Berth.Daemon.Api;

/// <summary>
/// Turns the body of <c>POST /containers/create</c> into the engine's config. The docker CLI sends every field
/// on every create, mostly with empty or default values (docker-api-notes §3.2): those are accepted. A field
/// Berth does not implement is refused with a 400 naming it as soon as its value differs from the default,
/// never silently ignored.
/// </summary>
public static class CreateRequestMapper
{
    /// <summary>Networks the CLI may name when berthd runs without networking: every container gets loopback only.</summary>
    private static readonly string[] KnownNetworks = ["default", "bridge", "none"];

    /// <param name="networking">Whether berthd runs with networking (--network-namespace): then --network, -p, -P,
    /// --ip and --network-alias are taken; without it only the loopback-only modes are.</param>
    public static (Core.ContainerConfig Config, Core.HostConfig HostConfig) Map(Wire.ContainerCreateRequest request, bool networking = false)
    {
        var refusals = new List<string>();
        CheckConfig(request, refusals);
        var host = request.HostConfig ?? new Wire.HostConfig();
        CheckHostConfig(host, refusals);
        if (networking)
            CheckNetworkingEnabled(host, request.NetworkingConfig, refusals);
        else
        {
            CheckNetworking(host, request.NetworkingConfig, refusals);
            Refuse(refusals, !string.IsNullOrEmpty(request.MacAddress), "Config.MacAddress (--mac-address) without networking (berthd --network-namespace)");
        }
        if (refusals.Count > 0)
            throw new ApiException(400, "not supported by Berth yet: " + string.Join("; ", refusals));
        if (string.IsNullOrEmpty(request.Image))
            throw new ApiException(400, "Config.Image is required: name the image to create the container from");

        var config = new Core.ContainerConfig
        {
            Image = request.Image,
            Cmd = request.Cmd,
            Entrypoint = request.Entrypoint,
            Env = request.Env,
            WorkingDir = request.WorkingDir,
            User = request.User,
            Hostname = request.Hostname,
            Domainname = request.Domainname,
            Labels = request.Labels,
            Tty = request.Tty,
            OpenStdin = request.OpenStdin,
            StdinOnce = request.StdinOnce,
            AttachStdin = request.AttachStdin,
            AttachStdout = request.AttachStdout,
            AttachStderr = request.AttachStderr,
            StopSignal = request.StopSignal,
            StopTimeout = request.StopTimeout,
            Healthcheck = request.Healthcheck is { } health ? MapHealthcheck(health) : null,
            ExposedPorts = request.ExposedPorts?.Keys.ToList(),
            Volumes = request.Volumes is { Count: > 0 } volumes ? volumes.Keys.ToList() : null,
        };
        var hostConfig = new Core.HostConfig
        {
            Binds = host.Binds,
            Mounts = host.Mounts is { Count: > 0 } mounts ? mounts.Select(MountMapper.Map).ToList() : null,
            Tmpfs = host.Tmpfs is { Count: > 0 } tmpfs ? tmpfs : null,
            VolumesFrom = host.VolumesFrom is { Count: > 0 } from ? from : null,
            LogConfig = host.LogConfig is { } log && (log.Type.Length > 0 || log.Config is { Count: > 0 })
                ? new Berth.Engine.Logs.LogConfig { Type = log.Type, Config = log.Config ?? [] }
                : null,
            AutoRemove = host.AutoRemove,
            RestartPolicy = host.RestartPolicy is { Name.Length: > 0 } restart
                ? new Berth.Engine.Containers.Restart.RestartPolicy { Name = restart.Name, MaximumRetryCount = restart.MaximumRetryCount }
                : null,
            Memory = host.Memory,
            MemorySwap = host.MemorySwap,
            NanoCpus = host.NanoCpus,
            CpuShares = host.CpuShares,
            PidsLimit = host.PidsLimit,
            ReadonlyRootfs = host.ReadonlyRootfs,
            SecurityOpt = host.SecurityOpt,
            CapAdd = host.CapAdd,
            CapDrop = host.CapDrop,
            Privileged = host.Privileged,
            ShmSize = host.ShmSize,
            Init = host.Init == true,
            ConsoleSize = host.ConsoleSize is [int rows, int columns] ? [rows, columns] : null,
            NetworkMode = host.NetworkMode is "" ? "default" : host.NetworkMode,
            PublishAllPorts = host.PublishAllPorts,
            Dns = Any(host.Dns) ? [.. host.Dns!] : null,
            DnsSearch = Any(host.DnsSearch) ? [.. host.DnsSearch!] : null,
            DnsOptions = Any(host.DnsOptions) ? [.. host.DnsOptions!] : null,
            ExtraHosts = Any(host.ExtraHosts) ? [.. host.ExtraHosts!] : null,
            Links = Any(host.Links) ? [.. host.Links!] : null,
        };
        foreach (string server in hostConfig.Dns ?? [])
            if (!System.Net.IPAddress.TryParse(server, out _))
                throw new ApiException(400, $"invalid IP address: {server}");
        foreach (string extra in hostConfig.ExtraHosts ?? [])
            CheckExtraHost(extra);
        if (host.PortBindings is { Count: > 0 } bindings)
        {
            hostConfig.PortBindings = [];
            foreach (var (key, list) in bindings)
            {
                // The key is validated here so a bad spec is a 400 at create, not a failed start.
                Berth.Engine.Containers.Start.PublishedPorts.ParseKey(key);
                foreach (var binding in list ?? [])
                    Berth.Engine.Containers.Start.PublishedPorts.ParseHostPort(binding?.HostPort ?? "");
                hostConfig.PortBindings[key] = [.. (list ?? []).Select(b => new Core.PortBinding { HostIp = b.HostIp, HostPort = b.HostPort })];
            }
        }
        if (request.NetworkingConfig?.EndpointsConfig is { } endpoints
            && endpoints.TryGetValue(hostConfig.NetworkMode, out var endpoint) && endpoint is not null)
        {
            hostConfig.NetworkAliases = endpoint.Aliases is { Count: > 0 } aliases ? aliases : null;
            hostConfig.IPv4Address = endpoint.IPAMConfig?.IPv4Address is { Length: > 0 } ip ? ip : null;
            hostConfig.MacAddress = endpoint.MacAddress is { Length: > 0 } mac ? MacAddress(mac) : null;
            // The docker CLI sends --link in both HostConfig.Links and the first endpoint's Links; compose may send
            // only the endpoint's (a user network's links are DNS aliases there).
            if (hostConfig.Links is null && Any(endpoint.Links))
                hostConfig.Links = [.. endpoint.Links!];
        }
        // Config.MacAddress: where API clients before 1.44 (docker-py, compose 1.29) put --mac-address.
        if (hostConfig.MacAddress is null && request.MacAddress is { Length: > 0 } legacyMac)
        {
            if (hostConfig.NetworkMode is "host" or "none" || hostConfig.NetworkMode.StartsWith("container:", StringComparison.Ordinal))
                throw new ApiException(400, "conflicting options: mac-address and the network mode");
            hostConfig.MacAddress = MacAddress(legacyMac);
        }
        foreach (string link in hostConfig.Links ?? [])
            if (link.Length == 0 || link.Split(':') is not ([{ Length: > 0 }] or [{ Length: > 0 }, { Length: > 0 }]))
                throw new ApiException(400, $"invalid link: {link}");
        return (config, hostConfig);
    }

    /// <summary>`--health-*` and compose's healthcheck; what the image sets fills in at create (moby's merge).</summary>
    public static Berth.Engine.Containers.Health.HealthConfig MapHealthcheck(Wire.HealthConfig health) => new()
    {
        Test = health.Test,
        Interval = health.Interval,
        Timeout = health.Timeout,
        Retries = health.Retries,
        StartPeriod = health.StartPeriod,
        StartInterval = health.StartInterval,
    };

    private static void CheckConfig(Wire.ContainerConfig config, List<string> refusals)
    {
        Refuse(refusals, config.NetworkDisabled == true, "Config.NetworkDisabled");
    }

    private static void CheckHostConfig(Wire.HostConfig h, List<string> refusals)
    {
        Refuse(refusals, h.SecurityOpt?.Any(o => o is not ("no-new-privileges" or "no-new-privileges:true" or "no-new-privileges=true" or "no-new-privileges:false" or "no-new-privileges=false"
                or "seccomp=unconfined" or "seccomp:unconfined")) == true,
            "HostConfig.SecurityOpt other than no-new-privileges and seccomp=unconfined (--security-opt; custom seccomp profiles and AppArmor)");
        Refuse(refusals, h.CgroupParent.Length > 0, "HostConfig.CgroupParent (--cgroup-parent)");
        Refuse(refusals, h.BlkioWeight != 0 || Any(h.BlkioWeightDevice) || Any(h.BlkioDeviceReadBps) || Any(h.BlkioDeviceWriteBps)
            || Any(h.BlkioDeviceReadIOps) || Any(h.BlkioDeviceWriteIOps), "HostConfig.Blkio* (block I/O limits)");
        Refuse(refusals, h.CpuPeriod != 0 || h.CpuQuota != 0, "HostConfig.CpuPeriod/CpuQuota (--cpu-period, --cpu-quota; use --cpus)");
        Refuse(refusals, h.CpuRealtimePeriod != 0 || h.CpuRealtimeRuntime != 0, "HostConfig.CpuRealtime* (--cpu-rt-*)");
        Refuse(refusals, h.CpusetCpus.Length > 0 || h.CpusetMems.Length > 0, "HostConfig.CpusetCpus/CpusetMems (--cpuset-*)");
        Refuse(refusals, h.CpuCount != 0 || h.CpuPercent != 0, "HostConfig.CpuCount/CpuPercent");
        Refuse(refusals, Any(h.Devices), "HostConfig.Devices (--device)");
        Refuse(refusals, Any(h.DeviceCgroupRules), "HostConfig.DeviceCgroupRules (--device-cgroup-rule)");
        Refuse(refusals, Any(h.DeviceRequests), "HostConfig.DeviceRequests (--gpus)");
        Refuse(refusals, h.KernelMemoryTCP is > 0, "HostConfig.KernelMemoryTCP");
        Refuse(refusals, h.MemoryReservation != 0, "HostConfig.MemoryReservation (--memory-reservation)");
        Refuse(refusals, h.MemorySwappiness is not (null or -1), "HostConfig.MemorySwappiness (--memory-swappiness)");
        Refuse(refusals, h.OomKillDisable == true, "HostConfig.OomKillDisable (--oom-kill-disable)");
        Refuse(refusals, Any(h.Ulimits), "HostConfig.Ulimits (--ulimit)");
        Refuse(refusals, h.IOMaximumIOps != 0 || h.IOMaximumBandwidth != 0, "HostConfig.IOMaximum*");
        Refuse(refusals, h.VolumeDriver.Length > 0, "HostConfig.VolumeDriver (--volume-driver)");
        Refuse(refusals, Any(h.Annotations), "HostConfig.Annotations (--annotation)");
        Refuse(refusals, h.CgroupnsMode is not ("" or "private"), "HostConfig.CgroupnsMode (--cgroupns)");
        Refuse(refusals, Any(h.GroupAdd), "HostConfig.GroupAdd (--group-add)");
        Refuse(refusals, h.IpcMode is not ("" or "private" or "shareable"), "HostConfig.IpcMode (--ipc)");
        Refuse(refusals, h.Cgroup.Length > 0, "HostConfig.Cgroup (--cgroup)");
        Refuse(refusals, h.OomScoreAdj != 0, "HostConfig.OomScoreAdj (--oom-score-adj)");
        Refuse(refusals, h.PidMode is not ("" or "private"), "HostConfig.PidMode (--pid)");
        Refuse(refusals, Any(h.StorageOpt), "HostConfig.StorageOpt (--storage-opt)");
        Refuse(refusals, h.UTSMode is not ("" or "private"), "HostConfig.UTSMode (--uts)");
        Refuse(refusals, h.UsernsMode.Length > 0, "HostConfig.UsernsMode (--userns)");
        Refuse(refusals, Any(h.Sysctls), "HostConfig.Sysctls (--sysctl)");
        Refuse(refusals, h.Runtime is not (null or "" or "berth"), $"HostConfig.Runtime \"{h.Runtime}\" (--runtime)");
        Refuse(refusals, h.Isolation is not ("" or "default"), "HostConfig.Isolation (--isolation)");
        Refuse(refusals, h.MaskedPaths is not null || h.ReadonlyPaths is not null, "HostConfig.MaskedPaths/ReadonlyPaths (--security-opt systempaths=unconfined)");
    }

    private static void CheckNetworkingEnabled(Wire.HostConfig h, Wire.NetworkingConfig? networking, List<string> refusals)
    {
        if (networking?.EndpointsConfig is { Count: > 1 })
            throw new ApiException(400, "Container cannot be connected to network endpoints: only one network at create, connect the others later");
        foreach (var (name, endpoint) in networking?.EndpointsConfig ?? [])
        {
            if (endpoint is null)
                continue;
            Refuse(refusals, Any(endpoint.DriverOpts)
                || endpoint.IPAMConfig is { } ipam && (ipam.IPv6Address.Length > 0 || Any(ipam.LinkLocalIPs)),
                $"NetworkingConfig.EndpointsConfig[\"{name}\"] IPv6 and driver options");
            if (endpoint.MacAddress.Length > 0)
                MacAddress(endpoint.MacAddress);
        }
        bool joins = h.NetworkMode is "host" || h.NetworkMode.StartsWith("container:", StringComparison.Ordinal);
        // moby's verifyNetworkingConfig / registerLinks wording.
        if (h.NetworkMode is "host" && Any(h.Links))
            throw new ApiException(400, "conflicting options: host type networking can't be used with links. This would result in undefined behavior");
        if (h.NetworkMode.StartsWith("container:", StringComparison.Ordinal) && Any(h.Links))
            throw new ApiException(400, "conflicting options: container type network can't be used with links. This would result in undefined behavior");
        if (joins && (h.PortBindings?.Values.Any(b => b is { Count: > 0 }) == true || h.PublishAllPorts))
            throw new ApiException(400, "conflicting options: port publishing and the container type network mode");
        if ((joins || h.NetworkMode is "none") && networking?.EndpointsConfig?.Values.Any(e => e?.MacAddress.Length > 0) == true)
            throw new ApiException(400, "conflicting options: mac-address and the network mode");
    }

    /// <summary>`--mac-address`: an Ethernet address (moby's net.ParseMAC, 6 bytes), as lower-case colon form.</summary>
    public static string MacAddress(string text) =>
        System.Net.NetworkInformation.PhysicalAddress.TryParse(text, out var mac) && mac.GetAddressBytes() is { Length: 6 } bytes
            ? string.Join(':', bytes.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)))
            : throw new ApiException(400, $"invalid MAC address: {text}");

    private static void CheckNetworking(Wire.HostConfig h, Wire.NetworkingConfig? networking, List<string> refusals)
    {
        Refuse(refusals, h.NetworkMode is not ("" or "default" or "bridge" or "none"), $"HostConfig.NetworkMode \"{h.NetworkMode}\" (--network): berthd runs without networking (--network-namespace), so containers get loopback only");
        Refuse(refusals, h.PortBindings?.Values.Any(bindings => bindings is { Count: > 0 }) == true, "HostConfig.PortBindings (-p/--publish) without networking (berthd --network-namespace)");
        Refuse(refusals, h.PublishAllPorts, "HostConfig.PublishAllPorts (-P) without networking (berthd --network-namespace)");
        Refuse(refusals, Any(h.Links), "HostConfig.Links (--link) without networking (berthd --network-namespace)");
        foreach (var (name, endpoint) in networking?.EndpointsConfig ?? [])
        {
            if (!KnownNetworks.Contains(name))
                throw new ApiException(404, $"network {name} not found");
            if (endpoint is null)
                continue;
            bool customised = endpoint.IPAMConfig is { } ipam && (ipam.IPv4Address.Length > 0 || ipam.IPv6Address.Length > 0 || Any(ipam.LinkLocalIPs))
                || Any(endpoint.Links) || Any(endpoint.Aliases) || Any(endpoint.DriverOpts) || Any(endpoint.DNSNames)
                || endpoint.MacAddress.Length > 0 || endpoint.IPAddress.Length > 0 || endpoint.GlobalIPv6Address.Length > 0;
            Refuse(refusals, customised, $"NetworkingConfig.EndpointsConfig[\"{name}\"] settings (--ip, --network-alias, --link, --mac-address)");
        }
    }

    /// <summary>moby's opts.ValidateExtraHost: NAME:IP or NAME=IP, IP an address (brackets allowed) or "host-gateway".</summary>
    private static void CheckExtraHost(string extra)
    {
        int separator = extra.IndexOf('=') is int eq and >= 0 ? eq : extra.IndexOf(':');
        if (separator <= 0)
            throw new ApiException(400, $"bad format for add-host: \"{extra}\"");
        string address = extra[(separator + 1)..];
        string bare = address.StartsWith('[') && address.EndsWith(']') ? address[1..^1] : address;
        if (bare != "host-gateway" && !System.Net.IPAddress.TryParse(bare, out _))
            throw new ApiException(400, $"invalid IP address in add-host: \"{address}\"");
    }

    private static bool Any<T>(ICollection<T>? collection) => collection is { Count: > 0 };

    private static void Refuse(List<string> refusals, bool isSet, string what)
    {
        if (isSet)
            refusals.Add(what);
    }
}
