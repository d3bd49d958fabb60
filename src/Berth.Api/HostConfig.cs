using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>
/// How the host runs a container (swagger <c>HostConfig</c>, including <c>Resources</c>). Every field of API 1.50
/// is here so that the daemon can tell a field a user set from a default the docker CLI always sends
/// (<c>ConsoleSize [0,0]</c>, <c>MemorySwappiness -1</c>, <c>NetworkMode "default"</c>, empty lists and maps).
/// </summary>
public sealed class HostConfig
{
    // Resources

    public long CpuShares { get; set; }

    /// <summary>Bytes; 0 means no limit.</summary>
    public long Memory { get; set; }

    public string CgroupParent { get; set; } = "";

    public int BlkioWeight { get; set; }

    public List<WeightDevice>? BlkioWeightDevice { get; set; }

    public List<ThrottleDevice>? BlkioDeviceReadBps { get; set; }

    public List<ThrottleDevice>? BlkioDeviceWriteBps { get; set; }

    public List<ThrottleDevice>? BlkioDeviceReadIOps { get; set; }

    public List<ThrottleDevice>? BlkioDeviceWriteIOps { get; set; }

    public long CpuPeriod { get; set; }

    public long CpuQuota { get; set; }

    public long CpuRealtimePeriod { get; set; }

    public long CpuRealtimeRuntime { get; set; }

    public string CpusetCpus { get; set; } = "";

    public string CpusetMems { get; set; } = "";

    public List<DeviceMapping>? Devices { get; set; }

    public List<string>? DeviceCgroupRules { get; set; }

    public List<DeviceRequest>? DeviceRequests { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? KernelMemoryTCP { get; set; }

    public long MemoryReservation { get; set; }

    /// <summary>Memory plus swap in bytes; 0 means twice <see cref="Memory"/>, -1 unlimited.</summary>
    public long MemorySwap { get; set; }

    /// <summary>-1 or null: the host's default.</summary>
    public long? MemorySwappiness { get; set; }

    /// <summary>CPU quota in units of 1e-9 CPUs (<c>--cpus 1.5</c> = 1500000000).</summary>
    public long NanoCpus { get; set; }

    public bool? OomKillDisable { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Init { get; set; }

    /// <summary>0 or null: no limit; -1 unlimited.</summary>
    public long? PidsLimit { get; set; }

    public List<Ulimit>? Ulimits { get; set; }

    public long CpuCount { get; set; }

    public long CpuPercent { get; set; }

    public long IOMaximumIOps { get; set; }

    public long IOMaximumBandwidth { get; set; }

    // HostConfig proper

    /// <summary><c>host-path:container-path[:ro|rw]</c>.</summary>
    public List<string>? Binds { get; set; }

    public string ContainerIDFile { get; set; } = "";

    public LogConfig? LogConfig { get; set; }

    /// <summary><c>default</c> (what the CLI sends), <c>bridge</c>, <c>host</c>, <c>none</c>, <c>container:&lt;id&gt;</c> or a network name.</summary>
    public string NetworkMode { get; set; } = "";

    /// <summary>Keys like <c>80/tcp</c>.</summary>
    public Dictionary<string, List<PortBinding>?>? PortBindings { get; set; }

    public RestartPolicy? RestartPolicy { get; set; }

    public bool AutoRemove { get; set; }

    public string VolumeDriver { get; set; } = "";

    public List<string>? VolumesFrom { get; set; }

    public List<Mount>? Mounts { get; set; }

    /// <summary>[height, width] of the terminal; [0, 0] without one.</summary>
    public List<int>? ConsoleSize { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Annotations { get; set; }

    /// <summary>Capability names, normally in the <c>CAP_</c> form.</summary>
    public List<string>? CapAdd { get; set; }

    public List<string>? CapDrop { get; set; }

    public string CgroupnsMode { get; set; } = "";

    public List<string>? Dns { get; set; }

    public List<string>? DnsOptions { get; set; }

    public List<string>? DnsSearch { get; set; }

    public List<string>? ExtraHosts { get; set; }

    public List<string>? GroupAdd { get; set; }

    public string IpcMode { get; set; } = "";

    public string Cgroup { get; set; } = "";

    public List<string>? Links { get; set; }

    public int OomScoreAdj { get; set; }

    public string PidMode { get; set; } = "";

    public bool Privileged { get; set; }

    public bool PublishAllPorts { get; set; }

    public bool ReadonlyRootfs { get; set; }

    public List<string>? SecurityOpt { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? StorageOpt { get; set; }

    /// <summary>Container path → tmpfs mount options.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Tmpfs { get; set; }

    public string UTSMode { get; set; } = "";

    public string UsernsMode { get; set; } = "";

    /// <summary>Bytes of /dev/shm; 0 means 64 MiB.</summary>
    public long ShmSize { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Sysctls { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Runtime { get; set; }

    public string Isolation { get; set; } = "";

    public List<string>? MaskedPaths { get; set; }

    public List<string>? ReadonlyPaths { get; set; }
}
