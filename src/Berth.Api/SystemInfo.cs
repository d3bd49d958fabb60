using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary><c>GET /info</c> (swagger <c>SystemInfo</c>); the CLI renders whatever is present.</summary>
public sealed class SystemInfo
{
    public string ID { get; set; } = "";

    public int Containers { get; set; }

    public int ContainersRunning { get; set; }

    public int ContainersPaused { get; set; }

    public int ContainersStopped { get; set; }

    public int Images { get; set; }

    public string Driver { get; set; } = "";

    public List<List<string>> DriverStatus { get; set; } = [];

    public string DockerRootDir { get; set; } = "";

    public PluginsInfo Plugins { get; set; } = new();

    public bool MemoryLimit { get; set; }

    public bool SwapLimit { get; set; }

    public bool CpuCfsPeriod { get; set; }

    public bool CpuCfsQuota { get; set; }

    public bool CPUShares { get; set; }

    public bool CPUSet { get; set; }

    public bool PidsLimit { get; set; }

    public bool OomKillDisable { get; set; }

    public bool IPv4Forwarding { get; set; }

    public bool Debug { get; set; }

    public int NFd { get; set; }

    public int NGoroutines { get; set; }

    /// <summary>RFC3339Nano.</summary>
    public string SystemTime { get; set; } = "";

    public string LoggingDriver { get; set; } = "";

    /// <summary><c>cgroupfs</c> or <c>systemd</c>.</summary>
    public string CgroupDriver { get; set; } = "";

    /// <summary><c>1</c> or <c>2</c>.</summary>
    public string CgroupVersion { get; set; } = "";

    public int NEventsListener { get; set; }

    public string KernelVersion { get; set; } = "";

    public string OperatingSystem { get; set; } = "";

    public string OSVersion { get; set; } = "";

    public string OSType { get; set; } = "";

    public string Architecture { get; set; } = "";

    public int NCPU { get; set; }

    public long MemTotal { get; set; }

    public string IndexServerAddress { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? RegistryConfig { get; set; }

    public string HttpProxy { get; set; } = "";

    public string HttpsProxy { get; set; } = "";

    public string NoProxy { get; set; } = "";

    /// <summary>The host name.</summary>
    public string Name { get; set; } = "";

    public List<string> Labels { get; set; } = [];

    public bool ExperimentalBuild { get; set; }

    public string ServerVersion { get; set; } = "";

    public Dictionary<string, RuntimeInfo> Runtimes { get; set; } = [];

    public string DefaultRuntime { get; set; } = "";

    public SwarmInfo Swarm { get; set; } = new();

    public bool LiveRestoreEnabled { get; set; }

    public string Isolation { get; set; } = "";

    public string InitBinary { get; set; } = "";

    public CommitInfo ContainerdCommit { get; set; } = new();

    public CommitInfo RuncCommit { get; set; } = new();

    public CommitInfo InitCommit { get; set; } = new();

    /// <summary>Entries like <c>name=seccomp,profile=builtin</c>, <c>name=cgroupns</c>.</summary>
    public List<string> SecurityOptions { get; set; } = [];

    public List<string>? CDISpecDirs { get; set; }

    public List<string>? Warnings { get; set; }
}
