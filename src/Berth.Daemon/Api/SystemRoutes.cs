using System.Runtime.InteropServices;
using Berth.Api;
using Berth.Engine.Containers;
using Berth.Engine.Security;
using Berth.Http;

namespace Berth.Daemon.Api;

/// <summary><c>/_ping</c>, <c>/version</c> and <c>/info</c>.</summary>
public sealed class SystemRoutes(ApiServices services)
{
    public void Map(Router router)
    {
        router.MapGet("/_ping", PingAsync);
        router.MapHead("/_ping", PingAsync);
        router.MapGet("/version", VersionAsync);
        router.MapGet("/info", InfoAsync);
    }

    /// <summary>The CLI starts every command with HEAD /_ping and reads these headers; HEAD has no body (docker-api-notes §1.2).</summary>
    private static Task PingAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.Set("Builder-Version", "1");
        headers.Set("Cache-Control", "no-cache, no-store, must-revalidate");
        headers.Set("Pragma", "no-cache");
        byte[] body = context.Request.Method == "HEAD" ? [] : "OK"u8.ToArray();
        return context.Response.SendAsync(body, "text/plain; charset=utf-8", context.RequestAborted);
    }

    private Task VersionAsync(HttpContext context)
    {
        string kernel = HostFacts.KernelVersion;
        var version = new SystemVersion
        {
            Platform = new VersionPlatform { Name = "Berth" },
            Version = DaemonVersion.Version,
            ApiVersion = ApiVersions.Current,
            MinAPIVersion = ApiVersions.Minimum,
            GitCommit = DaemonVersion.GitCommit,
            GoVersion = RuntimeInformation.FrameworkDescription,
            Os = "linux",
            Arch = HostFacts.GoArch,
            KernelVersion = kernel,
            BuildTime = "n/a",
        };
        version.Components.Add(new ComponentVersion
        {
            Name = "Engine",
            Version = DaemonVersion.Version,
            Details = new Dictionary<string, string>
            {
                ["ApiVersion"] = ApiVersions.Current,
                ["MinAPIVersion"] = ApiVersions.Minimum,
                ["GitCommit"] = DaemonVersion.GitCommit,
                ["GoVersion"] = RuntimeInformation.FrameworkDescription,
                ["Os"] = "linux",
                ["Arch"] = HostFacts.GoArch,
                ["KernelVersion"] = kernel,
                ["Experimental"] = "false",
                ["BuildTime"] = "n/a",
            },
        });
        return context.Response.SendJsonAsync(version, ApiJsonContext.Default.SystemVersion, context.RequestAborted);
    }

    private Task InfoAsync(HttpContext context)
    {
        var engine = services.Engine;
        var containers = engine.Containers.List();
        int running = containers.Count(c => c.State.Status == ContainerStatus.Running);
        int paused = containers.Count(c => c.State.Status == ContainerStatus.Paused);
        var info = new SystemInfo
        {
            ID = services.EngineId,
            Containers = containers.Count,
            ContainersRunning = running,
            ContainersPaused = paused,
            ContainersStopped = containers.Count - running - paused,
            LiveRestoreEnabled = engine.Options.LiveRestore,
            Images = engine.Images.List().Count,
            Driver = "overlay2",
            DockerRootDir = Path.GetFullPath(engine.Options.DataRoot),
            Plugins = new PluginsInfo { Log = ["json-file"] },
            MemoryLimit = true,
            SwapLimit = true,
            CpuCfsPeriod = true,
            CpuCfsQuota = true,
            CPUShares = true,
            PidsLimit = true,
            IPv4Forwarding = false,
            Debug = services.Options.LogLevel <= Microsoft.Extensions.Logging.LogLevel.Debug,
            NFd = CountOpenFiles(),
            NGoroutines = ThreadPool.ThreadCount,
            SystemTime = ApiTimestamp.Format(DateTime.UtcNow),
            LoggingDriver = "json-file",
            CgroupDriver = "cgroupfs",
            CgroupVersion = engine.Cgroups.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            KernelVersion = HostFacts.KernelVersion,
            OperatingSystem = HostFacts.OperatingSystem,
            OSVersion = HostFacts.OsVersion,
            OSType = "linux",
            Architecture = HostFacts.Machine,
            NCPU = Environment.ProcessorCount,
            MemTotal = HostFacts.MemTotal,
            IndexServerAddress = "https://index.docker.io/v1/",
            Name = HostFacts.Hostname,
            ServerVersion = DaemonVersion.Version,
            Runtimes = new Dictionary<string, RuntimeInfo> { ["berth"] = new() { Path = engine.Options.LauncherPath } },
            DefaultRuntime = "berth",
            Swarm = new SwarmInfo { LocalNodeState = "inactive" },
            Isolation = "",
            InitBinary = "",
            // Every container gets Berth's default seccomp profile (SeccompProfile) unless it asks for unconfined,
            // as docker's "name=seccomp,profile=builtin".
            SecurityOptions = ["name=seccomp,profile=builtin", "name=cgroupns"],
            Warnings = Warnings(),
        };
        return context.Response.SendJsonAsync(info, ApiJsonContext.Default.SystemInfo, context.RequestAborted);
    }

    private static List<string> Warnings()
    {
        var warnings = new List<string> { "WARNING: Berth: containers have no network (loopback only) and no registry pull yet" };
        if (Capabilities.Unavailable.Count > 0)
            warnings.Add($"WARNING: berthd's bounding set lacks {string.Join(", ", Capabilities.Unavailable)}: --privileged and --cap-add ALL containers run without them");
        return warnings;
    }

    private static int CountOpenFiles()
    {
        try
        {
            return Directory.EnumerateFileSystemEntries("/proc/self/fd").Count();
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
