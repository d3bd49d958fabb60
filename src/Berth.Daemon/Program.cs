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
var insecureRegistries = new Option<string[]>("--insecure-registry")
{
    Description = "Registry (host:port or CIDR) reached without verified TLS, or over plain HTTP; loopback always is",
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

var networkNamespace = new Option<string?>("--network-namespace")
{
    Description = "Serve /networks, with Berth's bridges and nftables table in this network namespace: 'host' or a path such as /run/netns/NAME",
};

var root = new RootCommand("berthd: the Berth container engine daemon (Docker Engine API 1.50)")
{
    host, dataRoot, cgroupParent, logLevel, group, insecureRegistries, maxDownloads, maxUploads, certsDirectory, networkNamespace,
};
root.SetAction(async (parse, _) =>
{
    var options = new DaemonOptions
    {
        Host = parse.GetValue(host)!,
        DataRoot = Path.GetFullPath(parse.GetValue(dataRoot)!),
        CgroupParent = parse.GetValue(cgroupParent)!,
        Group = parse.GetValue(group)!,
        NetworkNamespace = parse.GetValue(networkNamespace),
        Registry = new Berth.Registry.RegistryOptions
        {
            InsecureRegistries = parse.GetValue(insecureRegistries) ?? [],
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
