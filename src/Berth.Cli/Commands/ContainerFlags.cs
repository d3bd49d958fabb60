using System.CommandLine;
using Berth.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;

namespace Berth.Cli.Commands;

/// <summary>
/// The container flags <c>run</c> and <c>create</c> share (docker/cli container/opts.go) and the create body
/// they make: a <see cref="ContainerCreateRequest"/> with the same defaults the docker CLI sends
/// (NetworkMode "default", MemorySwappiness -1, ConsoleSize, empty Labels and Volumes, a default endpoint).
/// </summary>
public sealed class ContainerFlags
{
    private readonly string _verb;
    private readonly Option<string[]> _addHost = Flags.List("--add-host", null, "Add a custom host-to-IP mapping (host:ip)");
    private readonly Option<string[]> _dns = Flags.List("--dns", null, "Set custom DNS servers");
    private readonly Option<string[]> _dnsOption = Flags.List("--dns-option", null, "Set DNS options");
    private readonly Option<string[]> _dnsSearch = Flags.List("--dns-search", null, "Set custom DNS search domains");
    private readonly Option<string[]> _link = Flags.List("--link", null, "Add link to another container");
    private readonly Option<string[]> _capAdd = Flags.List("--cap-add", null, "Add Linux capabilities");
    private readonly Option<string[]> _capDrop = Flags.List("--cap-drop", null, "Drop Linux capabilities");
    private readonly Option<string> _cpus = Flags.String("--cpus", null, "Number of CPUs", "decimal");
    private readonly Option<string> _entrypoint = Flags.String("--entrypoint", null, "Overwrite the default ENTRYPOINT of the image");
    private readonly Option<string[]> _env = Flags.List("--env", "-e", "Set environment variables");
    private readonly Option<string[]> _envFile = Flags.List("--env-file", null, "Read in a file of environment variables");
    private readonly Option<string[]> _expose = Flags.List("--expose", null, "Expose a port or a range of ports");
    private readonly Option<string> _healthCmd = Flags.String("--health-cmd", null, "Command to run to check health");
    private readonly Option<string> _healthInterval = Flags.String("--health-interval", null, "Time between running the check (ms|s|m|h) (default 0s)", "duration");
    private readonly Option<string> _healthRetries = Flags.String("--health-retries", null, "Consecutive failures needed to report unhealthy", "int");
    private readonly Option<string> _healthStartInterval = Flags.String("--health-start-interval", null, "Time between running the check during the start period (ms|s|m|h) (default 0s)", "duration");
    private readonly Option<string> _healthStartPeriod = Flags.String("--health-start-period", null, "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)", "duration");
    private readonly Option<string> _healthTimeout = Flags.String("--health-timeout", null, "Maximum time to allow one check to run (ms|s|m|h) (default 0s)", "duration");
    private readonly Option<bool> _noHealthcheck = Flags.Bool("--no-healthcheck", null, "Disable any container-specified HEALTHCHECK");
    private readonly Option<string> _hostname = Flags.String("--hostname", "-h", "Container host name");
    private readonly Option<bool> _init = Flags.Bool("--init", null, "Run an init inside the container that forwards signals and reaps processes");
    private readonly Option<bool> _interactive = Flags.Bool("--interactive", "-i", "Keep STDIN open even if not attached");
    private readonly Option<string[]> _label = Flags.List("--label", "-l", "Set meta data on a container");
    private readonly Option<string> _logDriver = Flags.String("--log-driver", null, "Logging driver for the container");
    private readonly Option<string> _macAddress = Flags.String("--mac-address", null, "Container MAC address (e.g., 92:d0:c6:0a:29:33)");
    private readonly Option<string[]> _logOpt = Flags.List("--log-opt", null, "Log driver options");
    private readonly Option<string[]> _mount = Flags.List("--mount", null, "Attach a filesystem mount to the container", "mount");
    private readonly Option<string> _memory = Flags.String("--memory", "-m", "Memory limit", "bytes");
    private readonly Option<string> _name = Flags.String("--name", null, "Assign a name to the container");
    private readonly Option<string> _network = Flags.String("--network", null, "Connect a container to a network", "network");
    private readonly Option<string[]> _networkAlias = Flags.List("--network-alias", null, "Add network-scoped alias for the container");
    private readonly Option<string> _ip = Flags.String("--ip", null, "IPv4 address (e.g., 172.30.100.104)", "ip");
    private readonly Option<string[]> _publish = Flags.List("--publish", "-p", "Publish a container's port(s) to the host");
    private readonly Option<bool> _publishAll = Flags.Bool("--publish-all", "-P", "Publish all exposed ports to random ports");
    private readonly Option<string> _pidsLimit = Flags.String("--pids-limit", null, "Tune container pids limit (set -1 for unlimited)", "int");
    private readonly Option<bool> _privileged = Flags.Bool("--privileged", null, "Give extended privileges to this container");
    private readonly Option<bool> _readOnly = Flags.Bool("--read-only", null, "Mount the container's root filesystem as read only");
    private readonly Option<string> _restart = Flags.String("--restart", null, "Restart policy to apply when a container exits");
    private readonly Option<bool> _rm = Flags.Bool("--rm", null, "Automatically remove the container and its associated anonymous volumes when it exits");
    private readonly Option<string[]> _securityOpt = Flags.List("--security-opt", null, "Security Options");
    private readonly Option<string> _stopSignal = Flags.String("--stop-signal", null, "Signal to stop the container");
    private readonly Option<string> _stopTimeout = Flags.String("--stop-timeout", null, "Timeout (in seconds) to stop a container", "int");
    private readonly Option<bool> _tty = Flags.Bool("--tty", "-t", "Allocate a pseudo-TTY");
    private readonly Option<string> _user = Flags.String("--user", "-u", "Username or UID (format: <name|uid>[:<group|gid>])");
    private readonly Option<string[]> _tmpfs = Flags.List("--tmpfs", null, "Mount a tmpfs directory");
    private readonly Option<string[]> _volume = Flags.List("--volume", "-v", "Bind mount a volume");
    private readonly Option<string[]> _volumesFrom = Flags.List("--volumes-from", null, "Mount volumes from the specified container(s)");
    private readonly Option<string> _workdir = Flags.String("--workdir", "-w", "Working directory inside the container");

    public ContainerFlags(string verb)
    {
        _verb = verb;
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[]
                 {
                     _addHost, _capAdd, _capDrop, _cpus, _dns, _dnsOption, _dnsSearch, _link, _entrypoint, _env, _envFile, _expose, _healthCmd, _healthInterval, _healthRetries, _healthStartInterval, _healthStartPeriod, _healthTimeout,
                     _hostname, _init, _interactive, _ip, _label, _logDriver, _logOpt, _macAddress,
                     _memory, _mount, _name, _network, _networkAlias, _noHealthcheck, _pidsLimit, _privileged, _publish, _publishAll, _readOnly, _restart, _rm,
                     _securityOpt, _stopSignal, _stopTimeout, _tmpfs, _tty, _user, _volume, _volumesFrom, _workdir,
                 })
            command.Options.Add(option);
    }

    public string? Name(ParseResult parse) => parse.GetValue(_name) is { Length: > 0 } name ? name : null;

    /// <summary>
    /// The create body. Bad flag values are <see cref="FlagException"/>s; inconsistent settings are
    /// <see cref="CliException"/>s worded like docker's ("berth: …\n\nRun 'berth run --help' …", exit 125).
    /// </summary>
    public ContainerCreateRequest Build(ParseResult parse, string[] positionals, Func<string, string?> environment, (int Height, int Width) consoleSize)
    {
        // Values checked as pflag checks them while parsing.
        long memory = parse.GetValue(_memory) is { } memoryText ? Flags.Convert(_memory, memoryText, MemorySize.Parse) : 0;
        long nanoCpus = parse.GetValue(_cpus) is { } cpusText ? Flags.Convert(_cpus, cpusText, NanoCpus.Parse) : 0;
        long pidsLimit = parse.GetValue(_pidsLimit) is { } pidsText ? Flags.ParseInt(_pidsLimit, pidsText) : 0;
        int? stopTimeout = parse.GetValue(_stopTimeout) is { } stopText ? (int)Flags.ParseInt(_stopTimeout, stopText) : null;
        var healthcheck = Healthcheck(parse);
        var env = (parse.GetValue(_env) ?? []).Select(e => Flags.Convert(_env, e, v => EnvVariables.Validate(v, environment))).ToList();
        var mounts = (parse.GetValue(_mount) ?? []).Select(m => Flags.Convert(_mount, m, MountOption.Parse)).ToList();
        var tmpfs = new Dictionary<string, string>();
        foreach (string t in parse.GetValue(_tmpfs) ?? [])
        {
            int colon = t.IndexOf(':');
            tmpfs[colon < 0 ? t : t[..colon]] = colon < 0 ? "" : t[(colon + 1)..];
        }
        var logOptions = new Dictionary<string, string>();
        foreach (string option in parse.GetValue(_logOpt) ?? [])
        {
            int eq = option.IndexOf('=');
            if (eq <= 0)
                throw Invalid($"invalid log option: '{option}' (expected key=value)");
            logOptions[option[..eq]] = option[(eq + 1)..];
        }

        // Values checked afterwards, in docker/cli's parse().
        List<string> variables;
        var binds = new List<string>();
        var volumes = new Dictionary<string, EmptyObject?>();
        try
        {
            variables = EnvVariables.Collect(parse.GetValue(_envFile) ?? [], env, environment);
            foreach (string spec in parse.GetValue(_volume) ?? [])
                VolumeSpec.Apply(spec, binds, volumes);
            foreach (string option in parse.GetValue(_securityOpt) ?? [])
                SecurityOptions.Validate(option);
        }
        catch (FlagValueException e)
        {
            throw Invalid(e.Message);
        }
        var restart = RestartPolicy(parse.GetValue(_restart));
        bool autoRemove = parse.GetValue(_rm);
        if (autoRemove && restart.Name is not ("" or "no"))
            throw Invalid("conflicting options: cannot specify both --restart and --rm");

        var command = positionals.Skip(1).ToList();
        List<string>? entrypoint = parse.GetValue(_entrypoint) is { } entry
            ? [entry]
            : null;
        bool stdin = parse.GetValue(_interactive);
        string network = parse.GetValue(_network) is { Length: > 0 } net ? net : "default";
        var exposed = new Dictionary<string, EmptyObject?>();
        var portBindings = new Dictionary<string, List<PortBinding>?>();
        foreach (string expose in parse.GetValue(_expose) ?? [])
        {
            try
            {
                PublishSpec.Expose(expose, exposed);
            }
            catch (FormatException e)
            {
                throw Invalid(e.Message);
            }
        }
        foreach (string publish in parse.GetValue(_publish) ?? [])
        {
            try
            {
                PublishSpec.Add(publish, exposed, portBindings);
            }
            catch (FormatException e)
            {
                throw Invalid(e.Message); // docker/cli returns nat.ParsePortSpecs' error as it is
            }
        }
        // Checked as docker/cli's opts validators check them (ValidateIPAddress, ValidateExtraHost, ValidateLink): pflag errors.
        var dns = (parse.GetValue(_dns) ?? []).Select(d => Flags.Convert(_dns, d, v => System.Net.IPAddress.TryParse(v, out var a) ? a.ToString()
            : throw new FlagValueException($"IP address is not correctly formatted: {v}"))).ToList();
        var extraHosts = (parse.GetValue(_addHost) ?? []).Select(h => Flags.Convert(_addHost, h, ExtraHost)).ToList();
        var links = (parse.GetValue(_link) ?? []).Select(l => Flags.Convert(_link, l, v => v.Split(':') is [{ Length: > 0 }] or [{ Length: > 0 }, { Length: > 0 }] ? v
            : throw new FlagValueException($"bad format for links: {v}"))).ToList();
        var endpoint = new EndpointSettings
        {
            Links = links.Count > 0 ? links : null,
            Aliases = parse.GetValue(_networkAlias) is { Length: > 0 } aliases ? [.. aliases] : null,
            IPAMConfig = parse.GetValue(_ip) is { Length: > 0 } ip ? new EndpointIpamConfig { IPv4Address = ip } : null,
            // docker/cli's opts.ValidateMACAddress (net.ParseMAC) before anything is sent.
            MacAddress = parse.GetValue(_macAddress) is { Length: > 0 } mac ? Flags.Convert(_macAddress, mac, v =>
                System.Net.NetworkInformation.PhysicalAddress.TryParse(v, out var parsed) && parsed.GetAddressBytes().Length == 6 ? v
                    : throw new FlagValueException($"{v} is not a valid mac address")) : "",
        };
        var labels = new Dictionary<string, string>();
        foreach (string label in parse.GetValue(_label) ?? [])
        {
            int equals = label.IndexOf('=');
            labels[equals < 0 ? label : label[..equals]] = equals < 0 ? "" : label[(equals + 1)..];
        }

        return new ContainerCreateRequest
        {
            Hostname = parse.GetValue(_hostname) ?? "",
            User = parse.GetValue(_user) ?? "",
            AttachStdin = stdin,
            AttachStdout = true,
            AttachStderr = true,
            Tty = parse.GetValue(_tty),
            OpenStdin = stdin,
            StdinOnce = stdin,
            Env = variables.Count == 0 ? null : variables,
            Cmd = command.Count == 0 ? null : command,
            Image = positionals[0],
            Volumes = volumes,
            WorkingDir = parse.GetValue(_workdir) ?? "",
            Entrypoint = entrypoint,
            Labels = labels,
            StopSignal = parse.GetValue(_stopSignal) is { Length: > 0 } stopSignal ? stopSignal : null,
            StopTimeout = stopTimeout,
            ExposedPorts = exposed.Count == 0 ? null : exposed,
            Healthcheck = healthcheck,
            HostConfig = new HostConfig
            {
                Binds = binds.Count == 0 ? null : binds,
                Mounts = mounts.Count == 0 ? null : mounts,
                Tmpfs = tmpfs.Count == 0 ? null : tmpfs,
                VolumesFrom = parse.GetValue(_volumesFrom) is { Length: > 0 } from ? from.ToList() : null,
                LogConfig = new LogConfig { Type = parse.GetValue(_logDriver) ?? "", Config = logOptions },
                NetworkMode = network,
                PortBindings = portBindings,
                PublishAllPorts = parse.GetValue(_publishAll),
                RestartPolicy = restart,
                AutoRemove = autoRemove,
                ConsoleSize = [consoleSize.Height, consoleSize.Width],
                CapAdd = Capabilities.Normalize(parse.GetValue(_capAdd) ?? []),
                CapDrop = Capabilities.Normalize(parse.GetValue(_capDrop) ?? []),
                Dns = dns,
                DnsOptions = [.. parse.GetValue(_dnsOption) ?? []],
                DnsSearch = [.. parse.GetValue(_dnsSearch) ?? []],
                ExtraHosts = extraHosts.Count > 0 ? extraHosts : null,
                Links = links.Count > 0 ? links : null,
                Privileged = parse.GetValue(_privileged),
                ReadonlyRootfs = parse.GetValue(_readOnly),
                SecurityOpt = parse.GetValue(_securityOpt) is { Length: > 0 } securityOpt ? securityOpt.ToList() : null,
                Memory = memory,
                NanoCpus = nanoCpus,
                PidsLimit = pidsLimit,
                MemorySwappiness = -1,
                BlkioWeightDevice = [],
                BlkioDeviceReadBps = [],
                BlkioDeviceWriteBps = [],
                BlkioDeviceReadIOps = [],
                BlkioDeviceWriteIOps = [],
                Devices = [],
                Ulimits = [],
                OomKillDisable = false,
                Init = parse.GetResult(_init) is { Implicit: false } ? parse.GetValue(_init) : null,
            },
            NetworkingConfig = new NetworkingConfig
            {
                EndpointsConfig = network == "none" ? [] : new Dictionary<string, EndpointSettings?> { [network] = endpoint },
            },
        };
    }

    /// <summary>
    /// docker/cli's healthcheck flags: `--no-healthcheck` sends Test ["NONE"] and conflicts with the others; `--health-cmd`
    /// is a CMD-SHELL test; the durations are Go durations sent in nanoseconds (0: the image's or the default).
    /// </summary>
    private HealthConfig? Healthcheck(ParseResult parse)
    {
        string? command = parse.GetValue(_healthCmd);
        long interval = Duration(parse, _healthInterval), timeout = Duration(parse, _healthTimeout);
        long startPeriod = Duration(parse, _healthStartPeriod), startInterval = Duration(parse, _healthStartInterval);
        long retries = parse.GetValue(_healthRetries) is { } retriesText ? Flags.ParseInt(_healthRetries, retriesText) : 0;
        bool any = !string.IsNullOrEmpty(command) || interval != 0 || timeout != 0 || startPeriod != 0 || startInterval != 0 || retries != 0;
        if (parse.GetValue(_noHealthcheck))
        {
            if (any)
                throw Invalid("--no-healthcheck conflicts with --health-* options");
            return new HealthConfig { Test = ["NONE"] };
        }
        if (!any)
            return null;
        foreach (var (value, flag) in new[] { (interval, "--health-interval"), (timeout, "--health-timeout"), (retries, "--health-retries"),
                     (startPeriod, "--health-start-period"), (startInterval, "--health-start-interval") })
            if (value < 0)
                throw Invalid($"{flag} cannot be negative");
        return new HealthConfig
        {
            Test = string.IsNullOrEmpty(command) ? null : ["CMD-SHELL", command],
            Interval = interval,
            Timeout = timeout,
            Retries = (int)retries,
            StartPeriod = startPeriod,
            StartInterval = startInterval,
        };
    }

    /// <summary>A pflag duration flag in nanoseconds (Go's time.ParseDuration; "0" alone needs no unit).</summary>
    private static long Duration(ParseResult parse, Option<string> option) =>
        parse.GetValue(option) is { } text
            ? Flags.Convert(option, text, v => v == "0" ? 0 : LogTimestamp.TryParseDuration(v, out var d) ? d.Ticks * 100
                : throw new FlagValueException($"time: invalid duration \"{v}\""))
            : 0;

    /// <summary>docker/cli's ValidateExtraHost: NAME:IP or NAME=IP, sent as NAME:IP (IPv6 without its brackets).</summary>
    private static string ExtraHost(string value)
    {
        int separator = value.IndexOf('=') is int eq and >= 0 ? eq : value.IndexOf(':');
        if (separator <= 0)
            throw new FlagValueException($"bad format for add-host: \"{value}\"");
        string address = value[(separator + 1)..];
        string bare = address.StartsWith('[') && address.EndsWith(']') ? address[1..^1] : address;
        if (bare != "host-gateway" && !System.Net.IPAddress.TryParse(bare, out _))
            throw new FlagValueException($"invalid IP address in add-host: \"{address}\"");
        return value[..separator] + ":" + bare;
    }

    private RestartPolicy RestartPolicy(string? text)
    {
        try
        {
            return RestartPolicyOption.Parse(text);
        }
        catch (FlagValueException e)
        {
            throw Invalid(e.Message);
        }
    }

    private CliException Invalid(string message) =>
        new(125, $"berth: {message}\n\nRun 'berth {_verb} --help' for more information");
}
