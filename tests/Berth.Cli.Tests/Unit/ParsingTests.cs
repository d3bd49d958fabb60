using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Commands;
using NUnit.Framework;

namespace Berth.Cli.Tests.Unit;

/// <summary>Command lines as docker parses them: flags after the image belong to the command, pflag's errors, the create body.</summary>
public sealed class ParsingTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Test]
    public void FlagsAfterTheImageBelongToTheContainerCommand()
    {
        var request = Create("run", "-d", "--rm", "-e", "A=1", "-v", "/a:/b:ro", "busybox", "ls", "-d", "/");
        Assert.That(request.Image, Is.EqualTo("busybox"));
        Assert.That(request.Cmd, Is.EqualTo(new[] { "ls", "-d", "/" }));
        Assert.That(request.Env, Is.EqualTo(new[] { "A=1" }));
        Assert.That(request.HostConfig!.Binds, Is.EqualTo(new[] { "/a:/b:ro" }));
        Assert.That(request.HostConfig.AutoRemove, Is.True);
        var (parse, _, _) = Parse("run", "-d", "--rm", "-e", "A=1", "-v", "/a:/b:ro", "busybox", "ls", "-d", "/");
        Assert.That(parse!.GetValue<bool>("--detach"), Is.True);
    }

    [Test]
    public void DoubleDashEndsTheFlagsAndAfterTheImageIsPartOfTheCommand()
    {
        Assert.That(Create("run", "--", "busybox", "ls").Cmd, Is.EqualTo(new[] { "ls" }));
        Assert.That(Create("run", "busybox", "--", "ls").Cmd, Is.EqualTo(new[] { "--", "ls" }), "pflag keeps a -- that follows the first argument");
        Assert.That(Create("run", "busybox", "-d").Cmd, Is.EqualTo(new[] { "-d" }));
        Assert.That(Create("run", "busybox", "echo", "@file", "--help").Cmd, Is.EqualTo(new[] { "echo", "@file", "--help" }));
        Assert.That(Create("run", "busybox", "nc", "-ll", "-p", "80", "-abc").Cmd, Is.EqualTo(new[] { "nc", "-ll", "-p", "80", "-abc" }), "bundled shorthands after the image are the command's");
        Assert.That(Create("run", "busybox", "-ll").Cmd, Is.EqualTo(new[] { "-ll" }));
    }

    [Test]
    public void ShortFlagsBundleAndTakeAttachedValues()
    {
        var request = Create("run", "-it", "-eA=1", "--env=B=2", "-m32m", "-u", "1000:1000", "-w/tmp", "-h", "box", "busybox");
        Assert.That(request.Tty && request.OpenStdin && request.AttachStdin && request.StdinOnce, Is.True);
        Assert.That(request.Env, Is.EqualTo(new[] { "A=1", "B=2" }));
        Assert.That(request.HostConfig!.Memory, Is.EqualTo(32L << 20));
        Assert.That(request.User, Is.EqualTo("1000:1000"));
        Assert.That(request.WorkingDir, Is.EqualTo("/tmp"));
        Assert.That(request.Hostname, Is.EqualTo("box"));
    }

    [Test]
    public void ResourceAndSecurityFlagsFillTheHostConfig()
    {
        var request = Create("create", "--cpus", "1.5", "--pids-limit", "100", "--read-only", "--privileged",
            "--cap-add", "net_admin", "--cap-add", "CAP_SYS_TIME", "--cap-drop", "MKNOD", "--cap-add", "NET_ADMIN",
            "--security-opt", "no-new-privileges", "--entrypoint", "", "--name", "web", "busybox");
        var host = request.HostConfig!;
        Assert.That(host.NanoCpus, Is.EqualTo(1_500_000_000));
        Assert.That(host.PidsLimit, Is.EqualTo(100));
        Assert.That(host.ReadonlyRootfs && host.Privileged, Is.True);
        Assert.That(host.CapAdd, Is.EqualTo(new[] { "CAP_NET_ADMIN", "CAP_SYS_TIME" }));
        Assert.That(host.CapDrop, Is.EqualTo(new[] { "CAP_MKNOD" }));
        Assert.That(host.SecurityOpt, Is.EqualTo(new[] { "no-new-privileges" }));
        Assert.That(request.Entrypoint, Is.EqualTo(new[] { "" }), "--entrypoint '' resets the image's entrypoint");
    }

    [Test]
    public void EnvironmentComesFromFilesThenFlagsAndBareNamesAreLookedUp()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "\uFEFF# comment\n\n  FROM_FILE=a b \nINHERITED\nMISSING\nOVERRIDE=file\n");
            var environment = new Dictionary<string, string> { ["INHERITED"] = "yes", ["BARE"] = "set" };
            var request = Create(["run", "--env-file", file, "-e", "OVERRIDE=flag", "-e", "BARE", "-e", "UNSET", "busybox"],
                name => environment.GetValueOrDefault(name));
            Assert.That(request.Env, Is.EqualTo(new[] { "FROM_FILE=a b ", "INHERITED=yes", "OVERRIDE=file", "OVERRIDE=flag", "BARE=set", "UNSET" }));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void TheCreateBodyMatchesWhatTheDockerCliSends()
    {
        // Captured from docker CLI 28.2.2: `docker create -i --rm --name web -e A=B -v /tmp:/x:ro --memory 64m
        // --cap-add NET_ADMIN --security-opt no-new-privileges -l a=b --stop-timeout 3 busybox` (Berth.Api.Tests).
        const string docker = """
            {"Hostname":"","Domainname":"","User":"","AttachStdin":true,"AttachStdout":true,"AttachStderr":true,"Tty":false,"OpenStdin":true,"StdinOnce":true,"Env":["A=B"],"Cmd":null,"Image":"busybox","Volumes":{},"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":{"a":"b"},"StopTimeout":3,"HostConfig":{"Binds":["/tmp:/x:ro"],"ContainerIDFile":"","LogConfig":{"Type":"","Config":{}},"NetworkMode":"default","PortBindings":{},"RestartPolicy":{"Name":"no","MaximumRetryCount":0},"AutoRemove":true,"VolumeDriver":"","VolumesFrom":null,"ConsoleSize":[0,0],"CapAdd":["CAP_NET_ADMIN"],"CapDrop":null,"CgroupnsMode":"","Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,"GroupAdd":null,"IpcMode":"","Cgroup":"","Links":null,"OomScoreAdj":0,"PidMode":"","Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,"SecurityOpt":["no-new-privileges"],"UTSMode":"","UsernsMode":"","ShmSize":0,"Isolation":"","CpuShares":0,"Memory":67108864,"NanoCpus":0,"CgroupParent":"","BlkioWeight":0,"BlkioWeightDevice":[],"BlkioDeviceReadBps":[],"BlkioDeviceWriteBps":[],"BlkioDeviceReadIOps":[],"BlkioDeviceWriteIOps":[],"CpuPeriod":0,"CpuQuota":0,"CpuRealtimePeriod":0,"CpuRealtimeRuntime":0,"CpusetCpus":"","CpusetMems":"","Devices":[],"DeviceCgroupRules":null,"DeviceRequests":null,"MemoryReservation":0,"MemorySwap":0,"MemorySwappiness":-1,"OomKillDisable":false,"PidsLimit":0,"Ulimits":[],"CpuCount":0,"CpuPercent":0,"IOMaximumIOps":0,"IOMaximumBandwidth":0,"MaskedPaths":null,"ReadonlyPaths":null},"NetworkingConfig":{"EndpointsConfig":{"default":{"IPAMConfig":null,"Links":null,"Aliases":null,"MacAddress":"","DriverOpts":null,"GwPriority":0,"NetworkID":"","EndpointID":"","Gateway":"","IPAddress":"","IPPrefixLen":0,"IPv6Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"DNSNames":null}}}}
            """;
        var request = Create("create", "-i", "--rm", "--name", "web", "-e", "A=B", "-v", "/tmp:/x:ro", "--memory", "64m",
            "--cap-add", "NET_ADMIN", "--security-opt", "no-new-privileges", "-l", "a=b", "--stop-timeout", "3", "busybox");
        var ours = JsonNode.Parse(JsonSerializer.Serialize(request, ApiJsonContext.Default.ContainerCreateRequest))!.AsObject();
        var theirs = JsonNode.Parse(docker)!.AsObject();
        Assert.That(JsonDiff.Differences(theirs, ours), Is.Empty);
    }

    [TestCase(new[] { "run", "--bogus", "busybox" }, 125, "unknown flag: --bogus\n\nUsage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'berth run --help' for more information\n")]
    [TestCase(new[] { "run", "-dx", "busybox" }, 125, "unknown shorthand flag: 'x' in -x\n\nUsage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'berth run --help' for more information\n")]
    [TestCase(new[] { "ps", "-H", "unix:///x" }, 125, "unknown shorthand flag: 'H' in -H\n\nUsage:  berth ps [OPTIONS]\n\nRun 'berth ps --help' for more information\n")]
    [TestCase(new[] { "stop", "-t" }, 125, "flag needs an argument: 't' in -t\n\nUsage:  berth stop [OPTIONS] CONTAINER [CONTAINER...]\n\nRun 'berth stop --help' for more information\n")]
    [TestCase(new[] { "ps", "--format" }, 125, "flag needs an argument: --format\n\nUsage:  berth ps [OPTIONS]\n\nRun 'berth ps --help' for more information\n")]
    [TestCase(new[] { "run" }, 1, "berth: 'berth run' requires at least 1 argument\n\nUsage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nSee 'berth run --help' for more information\n")]
    [TestCase(new[] { "logs" }, 1, "berth: 'berth logs' requires 1 argument\n\nUsage:  berth logs [OPTIONS] CONTAINER\n\nRun 'berth logs --help' for more information\n")]
    [TestCase(new[] { "ps", "x" }, 1, "berth: 'berth ps' accepts no arguments\n\nUsage:  berth ps [OPTIONS]\n\nRun 'berth ps --help' for more information\n")]
    [TestCase(new[] { "bogus" }, 1, "berth: unknown command: berth bogus\n\nRun 'berth --help' for more information\n")]
    [TestCase(new[] { "--bogus" }, 125, "unknown flag: --bogus\n\nUsage:  berth [OPTIONS] COMMAND [ARG...]\n\nRun 'berth --help' for more information\n")]
    public void UsageErrorsAreWordedLikeDockers(string[] args, int exitCode, string stderr)
    {
        var (parse, code, console) = Parse(args);
        Assert.That(parse, Is.Null);
        Assert.That(code, Is.EqualTo(exitCode));
        Assert.That(console.Stderr, Is.EqualTo(stderr));
    }

    [Test]
    public void MacAddressGoesToTheEndpointAsDocker28SendsIt()
    {
        var (parse, _, _) = Parse("run", "--network", "app", "--mac-address", "92:d0:c6:0a:29:33", "busybox");
        var request = RunFlags(parse!).Build(parse!, ["busybox"], NoEnvironment, (0, 0));
        Assert.That(request.NetworkingConfig!.EndpointsConfig!["app"]!.MacAddress, Is.EqualTo("92:d0:c6:0a:29:33"));
    }

    [TestCase("-m", "1q", "invalid argument \"1q\" for \"-m, --memory\" flag: invalid suffix: 'q'")]
    [TestCase("--cpus", "abc", "invalid argument \"abc\" for \"--cpus\" flag: failed to parse abc as a rational number")]
    [TestCase("--cpus", "0.0000000001", "invalid argument \"0.0000000001\" for \"--cpus\" flag: value is too precise")]
    [TestCase("--pids-limit", "x", "invalid argument \"x\" for \"--pids-limit\" flag: strconv.ParseInt: parsing \"x\": invalid syntax")]
    [TestCase("-e", "=x", "invalid argument \"=x\" for \"-e, --env\" flag: invalid environment variable: =x")]
    [TestCase("--mac-address", "zz:00", "invalid argument \"zz:00\" for \"--mac-address\" flag: zz:00 is not a valid mac address")]
    public void BadFlagValuesAreFlagErrors(string flag, string value, string message)
    {
        var (parse, _, _) = Parse("run", flag, value, "busybox");
        var error = Assert.Throws<FlagException>(() => RunFlags(parse!).Build(parse!, ["busybox"], NoEnvironment, (0, 0)));
        Assert.That(error!.Message, Is.EqualTo(message));
    }

    [Test]
    public void HelpIsFoundAmongTheFlagsButNotInTheCommand()
    {
        var (parse, code, console) = Parse("ps", "--help");
        Assert.That(parse, Is.Null);
        Assert.That(code, Is.Zero);
        Assert.That(console.Stdout, Does.StartWith("\nUsage:  berth ps [OPTIONS]\n\nList containers\n\nOptions:\n"));
        Assert.That(console.Stdout, Does.Contain("  -a, --all             Show all containers (default shows just running)\n"));
        (parse, _, _) = Parse("run", "-h", "box", "busybox");
        Assert.That(parse, Is.Not.Null, "-h is --hostname for run");
    }

    private static ContainerCreateRequest Create(params string[] args) => Create(args, NoEnvironment);

    private static ContainerCreateRequest Create(string[] args, Func<string, string?> environment)
    {
        var (parse, _, console) = Parse(args);
        Assert.That(parse, Is.Not.Null, console.Stderr);
        var positionals = parse!.GetValue<string[]>("args") ?? [];
        return RunFlags(parse).Build(parse, positionals, environment, (0, 0));
    }

    private static ContainerFlags RunFlags(ParseResult parse) =>
        ((IContainerVerb)Verbs[parse.CommandResult.Command.Name]).ContainerFlags;

    private static readonly Dictionary<string, Verb> Verbs = new();

    private static (ParseResult? Parse, int ExitCode, MemoryConsole Console) Parse(params string[] args)
    {
        var console = new MemoryConsole();
        var app = new BerthApp(console.Console, NoEnvironment);
        var parse = app.Parse(args, out var verb, out int code);
        if (verb is not null)
            Verbs[verb.Name] = verb;
        return (parse, code, console);
    }
}
