using Berth.Engine.Containers;
using Berth.Engine.Images;
using Wire = Berth.Api;

namespace Berth.Daemon.Api;

/// <summary>Engine containers as the API shows them: the <c>docker ps</c> summary and the full inspect.</summary>
public static class ContainerViews
{
    /// <summary>Berth containers have a private network namespace with loopback only: Docker's "none".</summary>
    public const string NetworkMode = "none";

    public static Wire.ContainerSummary Summary(Container container, DateTime utcNow)
    {
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
            Ports = (record.Config.ExposedPorts ?? []).Select(Port).OfType<Wire.Port>().ToList(),
            Labels = record.Config.Labels is { } labels ? new Dictionary<string, string>(labels) : [],
            State = ContainerStatusText.StateName(state.Status),
            Status = ContainerStatusText.Format(state, utcNow),
            HostConfig = new Wire.ContainerSummaryHostConfig { NetworkMode = NetworkMode },
            NetworkSettings = new Wire.ContainerSummaryNetworkSettings { Networks = Networks() },
            Mounts = Mounts(record),
        };
    }

    /// <summary>moby: Path and Args joined by spaces.</summary>
    public static string Command(ContainerRecord record) =>
        record.Args.Count > 0 ? record.Path + " " + string.Join(' ', record.Args) : record.Path;

    public static Wire.ContainerInspectResponse Inspect(Container container, IReadOnlyList<string>? layerDirectories)
    {
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
                Running = state.Running,
                Paused = state.Status == ContainerStatus.Paused,
                Restarting = state.Status == ContainerStatus.Restarting,
                OOMKilled = state.OOMKilled,
                Dead = state.Status == ContainerStatus.Dead,
                Pid = state.Pid,
                ExitCode = state.ExitCode,
                Error = state.Error,
                StartedAt = Wire.ApiTimestamp.Format(DateTime.SpecifyKind(state.StartedAt, DateTimeKind.Utc)),
                FinishedAt = Wire.ApiTimestamp.Format(DateTime.SpecifyKind(state.FinishedAt, DateTimeKind.Utc)),
            },
            Image = record.ImageId,
            LogPath = container.LogPath,
            Name = "/" + container.Name,
            Driver = "overlay2",
            Platform = "linux",
            HostConfig = HostConfig(record.HostConfig),
            GraphDriver = new Wire.DriverData
            {
                Name = "overlay2",
                Data = new Dictionary<string, string>
                {
                    ["LowerDir"] = string.Join(':', layerDirectories ?? []),
                    ["MergedDir"] = Path.Combine(container.Directory, "merged"),
                    ["UpperDir"] = Path.Combine(container.Directory, "upper"),
                    ["WorkDir"] = Path.Combine(container.Directory, "work"),
                },
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
            },
            NetworkSettings = new Wire.NetworkSettings
            {
                SandboxKey = "",
                Networks = Networks(),
            },
        };
        foreach (string port in config.ExposedPorts ?? [])
            inspect.NetworkSettings.Ports[port] = null;
        return inspect;
    }

    /// <summary>The engine's host config in the API's shape, with Docker's defaults for what Berth does not configure.</summary>
    public static Wire.HostConfig HostConfig(HostConfig host) => new()
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
        NetworkMode = NetworkMode,
        LogConfig = new Wire.LogConfig { Type = host.LogConfig?.Type is { Length: > 0 } type ? type : "json-file", Config = host.LogConfig?.Config ?? [] },
        Mounts = host.Mounts?.Select(MountView).ToList(),
        Tmpfs = host.Tmpfs,
        VolumesFrom = host.VolumesFrom,
        RestartPolicy = new Wire.RestartPolicy { Name = "no" },
        PortBindings = [],
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
        Dns = [],
        DnsOptions = [],
        DnsSearch = [],
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

    private static Dictionary<string, Wire.EndpointSettings> Networks() => new() { [NetworkMode] = new Wire.EndpointSettings() };

    private static Wire.Port? Port(string exposed)
    {
        string[] parts = exposed.Split('/', 2);
        if (!int.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out int port))
            return null;
        return new Wire.Port { PrivatePort = port, Type = parts.Length > 1 ? parts[1] : "tcp" };
    }

    /// <summary>The layer directories of a container's image, for GraphDriver.LowerDir; null when the image is gone.</summary>
    public static IReadOnlyList<string>? LayerDirectories(ImageStore images, Container container) =>
        images.Find(container.Record.ImageId) is { } image ? images.GetLayerDirectories(image) : null;
}
