using Berth.Engine.Containers;
using System.Globalization;
using Berth.Engine.Images;
using Berth.Network;
using Wire = Berth.Api;

namespace Berth.Daemon.Api;

/// <summary>Engine containers as the API shows them: the <c>docker ps</c> summary and the full inspect.</summary>
public static class ContainerViews
{
    /// <summary>Without networking (berthd without --network-namespace) containers have loopback only: Docker's "none".</summary>
    public const string NetworkMode = "none";

    public static Wire.ContainerSummary Summary(Container container, DateTime utcNow, NetworkManager? networks = null)
    {
        var attachments = Attachments(container, networks);
        var record = container.Record;
        var state = container.State;
        return new Wire.ContainerSummary
        {
            Id = container.Id,
            Names = ["/" + container.Name],
            Image = record.Config.Image,
            ImageID = record.ImageId,
            Command = Command(record),
            Created = new DateTimeOffset(DateTime.SpecifyKind(record.Created, DateTimeKind.Utc)).ToUnixTimeSeconds(),
            Ports = SummaryPorts(record, attachments),
            Labels = record.Config.Labels is { } labels ? new Dictionary<string, string>(labels) : [],
            State = ContainerStatusText.StateName(state.Status),
            Status = ContainerStatusText.Format(state, utcNow),
            HostConfig = new Wire.ContainerSummaryHostConfig { NetworkMode = ModeOf(record.HostConfig, networks) },
            NetworkSettings = new Wire.ContainerSummaryNetworkSettings { Networks = Networks(record.HostConfig, networks, attachments) },
            Mounts = Mounts(record),
        };
    }

    /// <summary>moby: Path and Args joined by spaces.</summary>
    public static string Command(ContainerRecord record) =>
        record.Args.Count > 0 ? record.Path + " " + string.Join(' ', record.Args) : record.Path;

    public static Wire.ContainerInspectResponse Inspect(Container container, Dictionary<string, string> storageLayout, NetworkManager? networks = null)
    {
        var attachments = Attachments(container, networks);
        var record = container.Record;
        var state = container.State;
        var config = record.Config;
        var inspect = new Wire.ContainerInspectResponse
        {
            Id = container.Id,
            Created = Wire.ApiTimestamp.Format(DateTime.SpecifyKind(record.Created, DateTimeKind.Utc)),
            Path = record.Path,
            Args = [.. record.Args],
            State = new Wire.ContainerState
            {
                Status = ContainerStatusText.StateName(state.Status),
                Running = state.Running || state.Status == ContainerStatus.Restarting, // moby counts a restarting container as running
                Paused = state.Status == ContainerStatus.Paused,
                Restarting = state.Status == ContainerStatus.Restarting,
                OOMKilled = state.OOMKilled,
                Dead = state.Status == ContainerStatus.Dead,
                Pid = state.Pid,
                ExitCode = state.ExitCode,
                Error = state.Error,
                StartedAt = Wire.ApiTimestamp.Format(DateTime.SpecifyKind(state.StartedAt, DateTimeKind.Utc)),
                FinishedAt = Wire.ApiTimestamp.Format(DateTime.SpecifyKind(state.FinishedAt, DateTimeKind.Utc)),
                Health = state.Health is { } health ? HealthView(health) : null,
            },
            RestartCount = state.RestartCount,
            Image = record.ImageId,
            LogPath = container.LogPath,
            Name = "/" + container.Name,
            Driver = "overlay2",
            Platform = "linux",
            HostConfig = HostConfig(record.HostConfig, networks, record.Name),
            GraphDriver = new Wire.DriverData
            {
                Name = "overlay2",
                Data = storageLayout,
            },
            Mounts = Mounts(record),
            Config = new Wire.ContainerConfig
            {
                Hostname = ContainerSpecBuilder.Hostname(container.Id, config),
                Domainname = config.Domainname ?? "",
                User = config.User ?? "",
                AttachStdin = config.AttachStdin,
                AttachStdout = config.AttachStdout,
                AttachStderr = config.AttachStderr,
                ExposedPorts = config.ExposedPorts is { Count: > 0 } ports ? ports.ToDictionary(p => p, _ => (Wire.EmptyObject?)new Wire.EmptyObject()) : null,
                Tty = config.Tty,
                OpenStdin = config.OpenStdin,
                StdinOnce = config.StdinOnce,
                Env = config.Env,
                Cmd = config.Cmd,
                Image = config.Image,
                WorkingDir = config.WorkingDir ?? "",
                Entrypoint = config.Entrypoint,
                Labels = config.Labels ?? [],
                StopSignal = string.IsNullOrEmpty(config.StopSignal) ? null : config.StopSignal,
                StopTimeout = config.StopTimeout,
                Healthcheck = config.Healthcheck is { } check ? new Wire.HealthConfig
                {
                    Test = check.Test,
                    Interval = check.Interval,
                    Timeout = check.Timeout,
                    Retries = check.Retries,
                    StartPeriod = check.StartPeriod,
                    StartInterval = check.StartInterval,
                } : null,
            },
            NetworkSettings = new Wire.NetworkSettings
            {
                SandboxKey = "",
                Networks = Networks(record.HostConfig, networks, attachments),
            },
        };
        var settings = inspect.NetworkSettings;
        foreach (string port in config.ExposedPorts ?? [])
            settings.Ports[port] = null;
        foreach (var (network, endpoint) in attachments)
        {
            foreach (var port in endpoint.Ports)
            {
                string key = $"{port.ContainerPort.ToString(CultureInfo.InvariantCulture)}/{port.Protocol}";
                var bindings = settings.Ports.GetValueOrDefault(key) ?? [];
                bindings.Add(new Wire.PortBinding { HostIp = port.AnyAddress ? "0.0.0.0" : port.HostIp, HostPort = port.HostPort.ToString(CultureInfo.InvariantCulture) });
                settings.Ports[key] = bindings;
            }
            if (network.IsDefaultBridge)
            {
                // The legacy top-level fields describe the default bridge only (moby, deprecated since 1.9).
                var endpointSettings = settings.Networks[network.Name];
                settings.EndpointID = endpoint.EndpointId;
                settings.Gateway = endpointSettings.Gateway;
                settings.IPAddress = endpointSettings.IPAddress;
                settings.IPPrefixLen = endpointSettings.IPPrefixLen;
                settings.MacAddress = endpoint.MacAddress;
            }
        }
        return inspect;
    }

    /// <summary>State.Health: the status, the failing streak and the last five probes.</summary>
    private static Wire.Health HealthView(Berth.Engine.Containers.Health.HealthState health) => new()
    {
        Status = health.Status,
        FailingStreak = health.FailingStreak,
        Log = [.. health.Log.Select(r => new Wire.HealthcheckResult
        {
            Start = Wire.ApiTimestamp.Format(DateTime.SpecifyKind(r.Start, DateTimeKind.Utc)),
            End = Wire.ApiTimestamp.Format(DateTime.SpecifyKind(r.End, DateTimeKind.Utc)),
            ExitCode = r.ExitCode,
            Output = r.Output,
        })],
    };

    /// <summary>The container's live endpoints (none while it is not running, or without networking).</summary>
    private static IReadOnlyList<(NetworkRecord Network, EndpointRecord Endpoint)> Attachments(Container container, NetworkManager? networks) =>
        networks?.EndpointsOf(container.Id) ?? [];

    /// <summary>HostConfig.NetworkMode as Docker shows it: the CLI's "default" is the bridge on Linux.</summary>
    private static string ModeOf(HostConfig host, NetworkManager? networks) =>
        networks is null ? NetworkMode : host.NetworkMode is "default" or "" ? NetworkDrivers.DefaultNetwork : host.NetworkMode;

    private static List<Wire.Port> SummaryPorts(ContainerRecord record, IReadOnlyList<(NetworkRecord Network, EndpointRecord Endpoint)> attachments)
    {
        var published = attachments.SelectMany(a => a.Endpoint.Ports).ToList();
        var ports = published.Select(p => new Wire.Port
        {
            IP = p.AnyAddress ? "0.0.0.0" : p.HostIp,
            PrivatePort = p.ContainerPort,
            PublicPort = p.HostPort,
            Type = p.Protocol,
        }).ToList();
        foreach (var exposed in (record.Config.ExposedPorts ?? []).Select(Port).OfType<Wire.Port>())
            if (!published.Any(p => p.ContainerPort == exposed.PrivatePort && p.Protocol == exposed.Type))
                ports.Add(exposed);
        return ports;
    }

    /// <summary>The engine's host config in the API's shape, with Docker's defaults for what Berth does not configure.</summary>
    /// <param name="name">The container's name, for HostConfig.Links as docker shows them ("/db:/web/mysql").</param>
    public static Wire.HostConfig HostConfig(HostConfig host, NetworkManager? networks = null, string name = "") => new()
    {
        Binds = host.Binds,
        AutoRemove = host.AutoRemove,
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
        ShmSize = host.ShmSize > 0 ? host.ShmSize : 64 * 1024 * 1024,
        NetworkMode = ModeOf(host, networks),
        PublishAllPorts = host.PublishAllPorts,
        LogConfig = new Wire.LogConfig { Type = host.LogConfig?.Type is { Length: > 0 } type ? type : "json-file", Config = host.LogConfig?.Config ?? [] },
        Mounts = host.Mounts?.Select(MountView).ToList(),
        Tmpfs = host.Tmpfs,
        VolumesFrom = host.VolumesFrom,
        RestartPolicy = host.RestartPolicy is { IsNone: false } restart
            ? new Wire.RestartPolicy { Name = restart.Name, MaximumRetryCount = restart.MaximumRetryCount }
            : new Wire.RestartPolicy { Name = "no" },
        PortBindings = host.PortBindings?.ToDictionary(p => p.Key,
            p => (List<Wire.PortBinding>?)[.. p.Value.Select(b => new Wire.PortBinding { HostIp = b.HostIp, HostPort = b.HostPort })]) ?? [],
        ConsoleSize = [0, 0],
        CgroupnsMode = "private",
        IpcMode = "private",
        MemorySwappiness = null,
        OomKillDisable = false,
        BlkioWeightDevice = [],
        BlkioDeviceReadBps = [],
        BlkioDeviceWriteBps = [],
        BlkioDeviceReadIOps = [],
        BlkioDeviceWriteIOps = [],
        Devices = [],
        Ulimits = [],
        Dns = host.Dns ?? [],
        DnsOptions = host.DnsOptions ?? [],
        DnsSearch = host.DnsSearch ?? [],
        ExtraHosts = host.ExtraHosts,
        Links = host.Links?.Select(l => l.Split(':') is var parts ? $"/{parts[0].TrimStart('/')}:/{name}/{parts[^1].TrimStart('/')}" : l).ToList(),
        Isolation = "",
    };

    /// <summary>Inspect's Mounts: what create resolved (`--tmpfs` mounts are not listed, as in Docker).</summary>
    public static List<Wire.MountPoint> Mounts(ContainerRecord record) =>
        record.Mounts.Select(m => new Wire.MountPoint
        {
            Type = m.Type,
            Name = m.Name,
            Source = m.Source,
            Destination = m.Destination,
            Driver = m.Driver,
            Mode = m.Mode,
            RW = m.RW,
            Propagation = m.Propagation,
        }).ToList();

    private static Wire.Mount MountView(Berth.Engine.Volumes.MountSpec spec) => new()
    {
        Type = spec.Type,
        Source = spec.Source,
        Target = spec.Target,
        ReadOnly = spec.ReadOnly,
        BindOptions = spec.Propagation.Length > 0 ? new Wire.MountBindOptions { Propagation = spec.Propagation } : null,
        VolumeOptions = spec.NoCopy || spec.VolumeLabels is not null || spec.VolumeDriver.Length > 0 || spec.VolumeDriverOptions is not null
            ? new Wire.MountVolumeOptions
            {
                NoCopy = spec.NoCopy,
                Labels = spec.VolumeLabels,
                DriverConfig = spec.VolumeDriver.Length > 0 || spec.VolumeDriverOptions is not null ? new Wire.MountDriverConfig { Name = spec.VolumeDriver, Options = spec.VolumeDriverOptions } : null,
            }
            : null,
        TmpfsOptions = spec.TmpfsSizeBytes > 0 || spec.TmpfsMode > 0 ? new Wire.MountTmpfsOptions { SizeBytes = spec.TmpfsSizeBytes, Mode = spec.TmpfsMode } : null,
    };

    /// <summary>
    /// NetworkSettings.Networks: the container's network with its live endpoint when it runs, empty settings when it
    /// does not (as Docker shows a stopped container); nothing for --network container:.
    /// </summary>
    private static Dictionary<string, Wire.EndpointSettings> Networks(HostConfig host, NetworkManager? networks,
        IReadOnlyList<(NetworkRecord Network, EndpointRecord Endpoint)> attachments)
    {
        string mode = ModeOf(host, networks);
        var result = new Dictionary<string, Wire.EndpointSettings>();
        foreach (var (network, endpoint) in attachments)
        {
            var subnet = Berth.Network.Ipam.Ipv4Cidr.Parse(network.Subnet!);
            result[network.Name] = new Wire.EndpointSettings
            {
                Aliases = endpoint.Aliases.Count > 0 ? [.. endpoint.Aliases] : null,
                Links = endpoint.Links.Count > 0 ? [.. endpoint.Links] : null,
                NetworkID = network.Id,
                EndpointID = endpoint.EndpointId,
                Gateway = network.Gateway!,
                IPAddress = endpoint.IPv4Address,
                IPPrefixLen = subnet.PrefixLength,
                MacAddress = endpoint.MacAddress,
                DNSNames = network.IsDefaultBridge ? null : [.. NetworkManager.DnsNames(endpoint)],
            };
        }
        if (result.Count == 0 && !mode.StartsWith("container:", StringComparison.Ordinal))
        {
            string name = networks is not null && mode is not (NetworkDrivers.HostNetwork or NetworkDrivers.NoneNetwork)
                && networks.List().FirstOrDefault(n => n.Name == mode || n.Id == mode) is { } network ? network.Name : mode;
            if (!host.NetworkModeDisconnected)
                result[name] = new Wire.EndpointSettings { Aliases = host.NetworkAliases is { Count: > 0 } a ? [.. a] : null };
            // Networks `network connect` recorded for the next start, as dockerd lists them for a created container.
            foreach (var attachment in host.ConnectedNetworks ?? [])
                if (networks?.List().FirstOrDefault(n => n.Id == attachment.Network) is { } connected)
                    result[connected.Name] = new Wire.EndpointSettings
                    {
                        NetworkID = connected.Id,
                        Aliases = attachment.Aliases is { Count: > 0 } aliases ? [.. aliases] : null,
                        Links = attachment.Links is { Count: > 0 } links ? [.. links] : null,
                    };
        }
        return result;
    }

    private static Wire.Port? Port(string exposed)
    {
        string[] parts = exposed.Split('/', 2);
        if (!int.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out int port))
            return null;
        return new Wire.Port { PrivatePort = port, Type = parts.Length > 1 ? parts[1] : "tcp" };
    }
}
