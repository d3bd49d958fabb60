using System.CommandLine;
using Berth.Daemon;
using Berth.Daemon.Config;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

// Options that are also daemon.json keys have no default value here: a flag counts only when given, so that a key in
// the file and the same flag is the conflict dockerd refuses (DaemonConfiguration.Defaults holds the defaults).
var host = new Option<string[]>("--host", "-H")
{
    Description = $"Where to serve the API (repeatable): unix:///path (default {DaemonOptions.DefaultHost}), fd:// or fd://NAME (systemd socket activation), or tcp://host:port (unauthenticated; only when asked)",
    AllowMultipleArgumentsPerToken = false,
};
var configFile = new Option<string>("--config-file")
{
    Description = $"The daemon configuration file (dockerd's daemon.json keys); default {DaemonConfigFile.DefaultPath}, read when it exists",
};
var validate = new Option<bool>("--validate") { Description = "Check the configuration (flags and file) and exit: 0 when it is valid" };
var dataRoot = new Option<string>("--data-root") { Description = "Directory for images, containers and state (default /var/lib/berth)" };
var cgroupParent = new Option<string>("--cgroup-parent") { Description = "Cgroup, below berthd's own, that holds the containers' cgroups (default berth)" };
var logLevel = new Option<string>("--log-level", "-l") { Description = "debug, info, warn, error or fatal (default info)" };
var group = new Option<string>("--group", "-G") { Description = "Group owning the Unix socket (mode 0660) when that group exists (default berth)" };
var logDriver = new Option<string>("--log-driver") { Description = "Default log driver of containers: json-file (default), local or none" };
var logOpts = new Option<string[]>("--log-opt")
{
    Description = "Default log driver options (max-size=, max-file=, compress=), repeatable",
    AllowMultipleArgumentsPerToken = false,
};
var liveRestore = new Option<bool>("--live-restore") { Description = "Containers keep running while berthd is stopped or restarted, and are adopted by the next berthd" };
var shutdownTimeout = new Option<int>("--shutdown-timeout") { Description = $"Seconds containers get to stop at a daemon stop without live restore (default {DaemonOptions.DefaultShutdownTimeout})" };
var bip = new Option<string>("--bip") { Description = "The default bridge's address and prefix (e.g. 172.26.0.1/16), used when the bridge network is first created" };
var addressPools = new Option<string[]>("--default-address-pool")
{
    Description = "Pool for networks created without a subnet: base=CIDR,size=N (repeatable)",
    AllowMultipleArgumentsPerToken = false,
};
var insecureRegistries = new Option<string[]>("--insecure-registry")
{
    Description = "Registry (host:port or CIDR) reached without verified TLS, or over plain HTTP; loopback always is",
    AllowMultipleArgumentsPerToken = false,
};
var registryMirrors = new Option<string[]>("--registry-mirror")
{
    Description = "Registry mirror (http:// or https:// URL) tried first for docker.io pulls, in order, before Docker Hub; repeatable",
    AllowMultipleArgumentsPerToken = false,
};
var maxDownloads = new Option<int>("--max-concurrent-downloads") { Description = "Layers downloaded at once per pull (default 3)" };
var maxUploads = new Option<int>("--max-concurrent-uploads") { Description = "Layers uploaded at once per push (default 5)" };
var certsDirectory = new Option<string>("--registry-certs")
{
    Description = "Per-registry CAs and client certificates: DIR/<host:port>/{*.crt,client.cert,client.key}, as /etc/docker/certs.d",
    DefaultValueFactory = _ => "/etc/berth/certs.d",
};
var maxUnpacked = new Option<long?>("--max-image-unpacked-size")
{
    Description = "Most bytes of file content one image load or pull may unpack, e.g. 20g (binary units k, m, g, t); no limit by default, as in Docker",
    CustomParser = result => UnpackedSizeOption.Parse(result),
};
var networkNamespace = new Option<string>("--network-namespace")
{
    Description = "Where Berth's bridges and nftables table live: 'host' (the default), a path such as /run/netns/NAME, or 'none' (containers get loopback only)",
    DefaultValueFactory = _ => "host",
};

var root = new RootCommand("berthd: the Berth container engine daemon (Docker Engine API 1.50)")
{
    host, configFile, validate, dataRoot, cgroupParent, logLevel, group, logDriver, logOpts, liveRestore, shutdownTimeout, bip, addressPools,
    insecureRegistries, registryMirrors, maxDownloads, maxUploads, certsDirectory, maxUnpacked, networkNamespace,
};
root.SetAction(async (parse, _) =>
{
    bool Given(Option option) => parse.GetResult(option) is { Implicit: false };
    T? Flag<T>(Option<T> option) where T : class => Given(option) ? parse.GetValue(option) : null;
    T? Number<T>(Option<T> option) where T : struct => Given(option) ? parse.GetValue(option) : null;

    DaemonSettings FlagSettings()
    {
        Dictionary<string, string>? opts = null;
        if (Flag(logOpts) is { } given)
        {
            opts = [];
            foreach (string option in given)
            {
                int eq = option.IndexOf('=');
                if (eq <= 0)
                    throw new DaemonConfigException($"invalid --log-opt '{option}': expected key=value");
                opts[option[..eq]] = option[(eq + 1)..];
            }
        }
        return new DaemonSettings
        {
            DataRoot = Flag(dataRoot),
            Hosts = Flag(host)?.ToList(),
            Group = Flag(group),
            LogLevel = Flag(logLevel),
            LogDriver = Flag(logDriver),
            LogOpts = opts,
            LiveRestore = Number(liveRestore),
            DefaultAddressPools = Flag(addressPools)?.ToList(),
            Bip = Flag(bip),
            InsecureRegistries = Flag(insecureRegistries)?.ToList(),
            RegistryMirrors = Flag(registryMirrors)?.ToList(),
            MaxConcurrentDownloads = Number(maxDownloads),
            MaxConcurrentUploads = Number(maxUploads),
            CgroupParent = Flag(cgroupParent),
            ShutdownTimeout = Number(shutdownTimeout),
        };
    }

    var flagOnly = new DaemonOptions
    {
        NetworkNamespace = parse.GetValue(networkNamespace)!,
        MaxImageUnpackedSize = parse.GetValue(maxUnpacked),
        Registry = new Berth.Registry.RegistryOptions { CertsDirectory = parse.GetValue(certsDirectory) },
    };
    string configPath = Flag(configFile) ?? DaemonConfigFile.DefaultPath;
    DaemonOptions Load() => DaemonConfiguration.ToOptions(
        DaemonConfiguration.Merge(FlagSettings(), DaemonConfigFile.Load(configPath, required: Given(configFile))), flagOnly);

    DaemonOptions options;
    try
    {
        options = Load();
    }
    catch (DaemonConfigException e)
    {
        Console.Error.WriteLine($"berthd: {e.Message}");
        return 1;
    }
    if (parse.GetValue(validate))
    {
        Console.WriteLine("configuration OK");
        return 0;
    }
    var level = new LogLevelSwitch(options.LogLevel);
    using var loggerFactory = LoggerFactory.Create(logging => logging
        .SetMinimumLevel(LogLevel.Trace)
        .AddFilter((_, _, l) => level.IsEnabled(l))
        .AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff ";
            console.UseUtcTimestamp = true;
            console.ColorBehavior = LoggerColorBehavior.Disabled;
        })
        .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
    return await Daemon.RunAsync(options, loggerFactory, Load, level);
});
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
