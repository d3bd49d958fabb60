using System.CommandLine;
using Berth.Daemon;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

var host = new Option<string>("--host", "-H")
{
    Description = "Where to serve the API: unix:///path, or tcp://host:port (unauthenticated; only when asked)",
    DefaultValueFactory = _ => DaemonOptions.DefaultHost,
};
var dataRoot = new Option<string>("--data-root")
{
    Description = "Directory for images, containers and state",
    DefaultValueFactory = _ => "/var/lib/berth",
};
var cgroupParent = new Option<string>("--cgroup-parent")
{
    Description = "Cgroup, below berthd's own, that holds the containers' cgroups",
    DefaultValueFactory = _ => "berth",
};
var logLevel = new Option<string>("--log-level", "-l")
{
    Description = "debug, info, warning or error",
    DefaultValueFactory = _ => "info",
};
logLevel.AcceptOnlyFromAmong("debug", "info", "warning", "warn", "error");
var group = new Option<string>("--group", "-G")
{
    Description = "Group owning the Unix socket (mode 0660) when that group exists",
    DefaultValueFactory = _ => "berth",
};
var logDriver = new Option<string>("--log-driver")
{
    Description = "Default log driver of containers: json-file, local or none",
    DefaultValueFactory = _ => "json-file",
};
var logOpts = new Option<string[]>("--log-opt")
{
    Description = "Default log driver options (max-size=, max-file=, compress=), repeatable",
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
var maxDownloads = new Option<int>("--max-concurrent-downloads")
{
    Description = "Layers downloaded at once per pull",
    DefaultValueFactory = _ => 3,
};
var maxUploads = new Option<int>("--max-concurrent-uploads")
{
    Description = "Layers uploaded at once per push",
    DefaultValueFactory = _ => 5,
};
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
    host, dataRoot, cgroupParent, logLevel, group, logDriver, logOpts, insecureRegistries, registryMirrors, maxDownloads, maxUploads, certsDirectory, maxUnpacked, networkNamespace,
};
root.SetAction(async (parse, _) =>
{
    var logConfig = new Berth.Engine.Logs.LogConfig { Type = parse.GetValue(logDriver)! };
    foreach (string option in parse.GetValue(logOpts) ?? [])
    {
        int eq = option.IndexOf('=');
        if (eq <= 0)
        {
            Console.Error.WriteLine($"berthd: invalid --log-opt '{option}': expected key=value");
            return 1;
        }
        logConfig.Config[option[..eq]] = option[(eq + 1)..];
    }
    try
    {
        Berth.Engine.Logs.LogSettings.Parse(logConfig);
    }
    catch (Berth.Engine.InvalidParameterException e)
    {
        Console.Error.WriteLine($"berthd: invalid default log config: {e.Message}");
        return 1;
    }
    var mirrors = new List<Uri>();
    foreach (string mirror in parse.GetValue(registryMirrors) ?? [])
    {
        // moby's ValidateMirror: an http or https URL with nothing after the host but an optional "/".
        if (!Uri.TryCreate(mirror, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || uri.Query.Length > 0)
        {
            Console.Error.WriteLine($"berthd: invalid --registry-mirror '{mirror}': expected http(s)://host[:port] with no path");
            return 1;
        }
        mirrors.Add(uri);
    }
    var options = new DaemonOptions
    {
        DefaultLogConfig = logConfig,
        Host = parse.GetValue(host)!,
        DataRoot = Path.GetFullPath(parse.GetValue(dataRoot)!),
        CgroupParent = parse.GetValue(cgroupParent)!,
        Group = parse.GetValue(group)!,
        MaxImageUnpackedSize = parse.GetValue(maxUnpacked),
        NetworkNamespace = parse.GetValue(networkNamespace)!,
        Registry = new Berth.Registry.RegistryOptions
        {
            InsecureRegistries = parse.GetValue(insecureRegistries) ?? [],
            Mirrors = mirrors,
            MaxConcurrentDownloads = Math.Max(1, parse.GetValue(maxDownloads)),
            MaxConcurrentUploads = Math.Max(1, parse.GetValue(maxUploads)),
            CertsDirectory = parse.GetValue(certsDirectory),
        },
        LogLevel = parse.GetValue(logLevel) switch
        {
            "debug" => LogLevel.Debug,
            "warning" or "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            _ => LogLevel.Information,
        },
    };
    using var loggerFactory = LoggerFactory.Create(logging => logging
        .SetMinimumLevel(options.LogLevel)
        .AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff ";
            console.UseUtcTimestamp = true;
            console.ColorBehavior = LoggerColorBehavior.Disabled;
        })
        .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
    return await Daemon.RunAsync(options, loggerFactory);
});
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
