using Berth.Daemon;
using Berth.Daemon.Config;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Berth.Api.Tests.Unit;

/// <summary>daemon.json: every key, the flags over the file, conflicts, unknown keys and bad values, as dockerd.</summary>
public sealed class DaemonConfigTests
{
    private const string Full = """
        {
          "data-root": "/srv/berth",
          "hosts": ["unix:///run/b.sock", "fd://", "tcp://127.0.0.1:2375"],
          "group": "docker",
          "log-level": "warn",
          "log-driver": "local",
          "log-opts": {"max-size": "10m", "max-file": "3"},
          "live-restore": false,
          "default-address-pools": [{"base": "10.10.0.0/16", "size": 24}],
          "bip": "172.26.0.1/16",
          "insecure-registries": ["myreg:5000", "10.0.0.0/8"],
          "registry-mirrors": ["https://mirror.example.com"],
          "max-concurrent-downloads": 7,
          "max-concurrent-uploads": 2,
          "default-ulimits": {},
          "cgroup-parent": "custom/berth",
          "shutdown-timeout": 30
        }
        """;

    private static DaemonOptions Resolve(DaemonSettings flags, string json) =>
        DaemonConfiguration.ToOptions(DaemonConfiguration.Merge(flags, DaemonConfigFile.Parse(json)), new DaemonOptions());

    [Test]
    public void EveryKeyOfTheFileReachesItsOption()
    {
        var o = Resolve(new DaemonSettings(), Full);
        Assert.That(o.DataRoot, Is.EqualTo("/srv/berth"));
        Assert.That(o.Hosts, Is.EqualTo(new[] { "unix:///run/b.sock", "fd://", "tcp://127.0.0.1:2375" }));
        Assert.That(o.Group, Is.EqualTo("docker"));
        Assert.That(o.LogLevel, Is.EqualTo(LogLevel.Warning));
        Assert.That(o.DefaultLogConfig.Type, Is.EqualTo("local"));
        Assert.That(o.DefaultLogConfig.Config, Is.EqualTo(new Dictionary<string, string> { ["max-size"] = "10m", ["max-file"] = "3" }));
        Assert.That(o.LiveRestore, Is.False);
        Assert.That(o.DefaultAddressPools!.Select(p => $"{p.Base}:{p.Size}"), Is.EqualTo(new[] { "10.10.0.0/16:24" }));
        Assert.That(o.Bip, Is.EqualTo("172.26.0.1/16"));
        Assert.That(o.Registry.InsecureRegistries, Is.EqualTo(new[] { "myreg:5000", "10.0.0.0/8" }));
        Assert.That(o.Registry.Mirrors.Select(m => m.ToString()), Is.EqualTo(new[] { "https://mirror.example.com/" }));
        Assert.That(o.Registry.MaxConcurrentDownloads, Is.EqualTo(7));
        Assert.That(o.Registry.MaxConcurrentUploads, Is.EqualTo(2));
        Assert.That(o.CgroupParent, Is.EqualTo("custom/berth"));
        Assert.That(o.ShutdownTimeout, Is.EqualTo(30));
    }

    [Test]
    public void WithoutFlagsOrFileTheDefaultsAreDockerds()
    {
        var o = Resolve(new DaemonSettings(), "");
        Assert.That(o.DataRoot, Is.EqualTo("/var/lib/berth"));
        Assert.That(o.Hosts, Is.EqualTo(new[] { DaemonOptions.DefaultHost }));
        Assert.That(o.Group, Is.EqualTo("berth"));
        Assert.That(o.LogLevel, Is.EqualTo(LogLevel.Information));
        Assert.That(o.DefaultLogConfig.Type, Is.EqualTo("json-file"));
        Assert.That(o.LiveRestore, Is.EqualTo(DaemonOptions.LiveRestoreDefault));
        Assert.That(o.DefaultAddressPools, Is.Null);
        Assert.That(o.Registry.MaxConcurrentDownloads, Is.EqualTo(3));
        Assert.That(o.Registry.MaxConcurrentUploads, Is.EqualTo(5));
        Assert.That(o.CgroupParent, Is.EqualTo("berth"));
        Assert.That(o.ShutdownTimeout, Is.EqualTo(15));
    }

    [Test]
    public void AFlagSetsWhatTheFileDoesNotGive()
    {
        var o = Resolve(new DaemonSettings { LogLevel = "debug", Hosts = ["unix:///tmp/x.sock"] }, """{"data-root": "/srv/b"}""");
        Assert.That(o.LogLevel, Is.EqualTo(LogLevel.Debug));
        Assert.That(o.Hosts, Is.EqualTo(new[] { "unix:///tmp/x.sock" }));
        Assert.That(o.DataRoot, Is.EqualTo("/srv/b"));
    }

    private static readonly object[] Conflicts =
    [
        new object[] { new DaemonSettings { DataRoot = "/a" }, """{"data-root": "/b"}""", "data-root" },
        new object[] { new DaemonSettings { Hosts = ["fd://"] }, """{"hosts": ["fd://"]}""", "hosts" },
        new object[] { new DaemonSettings { Group = "a" }, """{"group": "b"}""", "group" },
        new object[] { new DaemonSettings { LogLevel = "info" }, """{"log-level": "debug"}""", "log-level" },
        new object[] { new DaemonSettings { LogDriver = "local" }, """{"log-driver": "local"}""", "log-driver" },
        new object[] { new DaemonSettings { LogOpts = new() { ["max-size"] = "1m" } }, """{"log-opts": {"max-file": "2"}}""", "log-opts" },
        new object[] { new DaemonSettings { LiveRestore = false }, """{"live-restore": true}""", "live-restore" },
        new object[] { new DaemonSettings { DefaultAddressPools = ["base=10.0.0.0/8,size=24"] }, """{"default-address-pools": []}""", "default-address-pools" },
        new object[] { new DaemonSettings { Bip = "10.1.0.1/24" }, """{"bip": "10.2.0.1/24"}""", "bip" },
        new object[] { new DaemonSettings { InsecureRegistries = ["a:5000"] }, """{"insecure-registries": []}""", "insecure-registries" },
        new object[] { new DaemonSettings { RegistryMirrors = ["https://m"] }, """{"registry-mirrors": ["https://m"]}""", "registry-mirrors" },
        new object[] { new DaemonSettings { MaxConcurrentDownloads = 1 }, """{"max-concurrent-downloads": 2}""", "max-concurrent-downloads" },
        new object[] { new DaemonSettings { MaxConcurrentUploads = 1 }, """{"max-concurrent-uploads": 2}""", "max-concurrent-uploads" },
        new object[] { new DaemonSettings { CgroupParent = "a" }, """{"cgroup-parent": "b"}""", "cgroup-parent" },
        new object[] { new DaemonSettings { ShutdownTimeout = 1 }, """{"shutdown-timeout": 2}""", "shutdown-timeout" },
    ];

    [TestCaseSource(nameof(Conflicts))]
    public void AKeyGivenAsAFlagAndInTheFileIsRefusedByName(DaemonSettings flags, string json, string key)
    {
        var e = Assert.Throws<DaemonConfigException>(() => Resolve(flags, json))!;
        Assert.That(e.Message, Does.StartWith("the following directives are specified both as a flag and in the configuration file: " + key + ": (from flag: "));
    }

    [Test]
    public void AnUnknownKeyIsRefusedByName()
    {
        var e = Assert.Throws<DaemonConfigException>(() => DaemonConfigFile.Parse("""{"debug": true, "log-level": "info", "storage-driver": "overlay2"}"""))!;
        Assert.That(e.Message, Is.EqualTo("the following directives don't match any configuration option: debug, storage-driver"));
    }

    [TestCase("""{"data-root": 1}""", "data-root")]
    [TestCase("""{"hosts": "unix:///a"}""", "hosts")]
    [TestCase("""{"hosts": [1]}""", "hosts")]
    [TestCase("""{"group": false}""", "group")]
    [TestCase("""{"log-level": ["debug"]}""", "log-level")]
    [TestCase("""{"log-driver": null}""", "log-driver")]
    [TestCase("""{"log-opts": {"max-size": 10}}""", "log-opts.max-size")]
    [TestCase("""{"log-opts": ["max-size=1m"]}""", "log-opts")]
    [TestCase("""{"live-restore": "yes"}""", "live-restore")]
    [TestCase("""{"default-address-pools": [{"base": "10.0.0.0/8"}]}""", "default-address-pools")]
    [TestCase("""{"default-address-pools": [{"base": "10.0.0.0/8", "size": 24, "extra": 1}]}""", "default-address-pools")]
    [TestCase("""{"bip": 17}""", "bip")]
    [TestCase("""{"insecure-registries": {}}""", "insecure-registries")]
    [TestCase("""{"registry-mirrors": [true]}""", "registry-mirrors")]
    [TestCase("""{"max-concurrent-downloads": "3"}""", "max-concurrent-downloads")]
    [TestCase("""{"max-concurrent-uploads": 1.5}""", "max-concurrent-uploads")]
    [TestCase("""{"default-ulimits": []}""", "default-ulimits")]
    [TestCase("""{"cgroup-parent": {}}""", "cgroup-parent")]
    [TestCase("""{"shutdown-timeout": "15s"}""", "shutdown-timeout")]
    public void AValueOfTheWrongTypeIsRefusedByKey(string json, string key)
    {
        var e = Assert.Throws<DaemonConfigException>(() => DaemonConfigFile.Parse(json))!;
        Assert.That(e.Message, Does.StartWith($"invalid value for `{key}` in the configuration file"));
    }

    [TestCase("""{"hosts": ["relative.sock"]}""", "hosts")]
    [TestCase("""{"hosts": ["tcp://localhost"]}""", "hosts")]
    [TestCase("""{"hosts": []}""", "hosts")]
    [TestCase("""{"log-level": "loud"}""", "log-level")]
    [TestCase("""{"log-driver": "syslog"}""", "log-driver")]
    [TestCase("""{"log-opts": {"max-size": "huge"}}""", "log-opts")]
    [TestCase("""{"default-address-pools": [{"base": "10.0.0.0/16", "size": 8}]}""", "default-address-pools")]
    [TestCase("""{"bip": "172.26.0.1"}""", "bip")]
    [TestCase("""{"bip": "fd00::1/64"}""", "bip")]
    [TestCase("""{"registry-mirrors": ["https://mirror.example.com/path"]}""", "registry-mirrors")]
    [TestCase("""{"registry-mirrors": ["ftp://mirror"]}""", "registry-mirrors")]
    [TestCase("""{"max-concurrent-downloads": 0}""", "max-concurrent-downloads")]
    [TestCase("""{"max-concurrent-uploads": -1}""", "max-concurrent-uploads")]
    [TestCase("""{"default-ulimits": {"nofile": {"Name": "nofile", "Hard": 64000, "Soft": 64000}}}""", "default-ulimits")]
    [TestCase("""{"cgroup-parent": "/system.slice"}""", "cgroup-parent")]
    [TestCase("""{"cgroup-parent": "a/../b"}""", "cgroup-parent")]
    [TestCase("""{"shutdown-timeout": -1}""", "shutdown-timeout")]
    [TestCase("""{"data-root": ""}""", "data-root")]
    public void ABadValueIsRefusedByKey(string json, string key)
    {
        var e = Assert.Throws<DaemonConfigException>(() => Resolve(new DaemonSettings(), json))!;
        Assert.That(e.Message, Does.Contain($"`{key}`"));
    }

    [TestCase("{")]
    [TestCase("[1]")]
    [TestCase("""{"group": "a", "group": "b"}""")]
    [TestCase("""{"group": "a",}""")]
    public void AFileThatIsNotOneJsonObjectIsRefused(string json) =>
        Assert.Throws<DaemonConfigException>(() => DaemonConfigFile.Parse(json));

    [Test]
    public void AMissingDefaultFileIsNoConfigurationButAMissingNamedFileIsAnError()
    {
        string path = Path.Combine(Path.GetTempPath(), "berth-no-such-" + Guid.NewGuid().ToString("N") + ".json");
        Assert.That(DaemonConfigFile.Load(path, required: false).Given(), Is.Empty);
        var e = Assert.Throws<DaemonConfigException>(() => DaemonConfigFile.Load(path, required: true))!;
        Assert.That(e.Message, Does.Contain(path));
    }

    [Test]
    public void AReloadAppliesLogLevelRegistriesAndLogOptionsAndNamesWhatNeedsARestart()
    {
        var before = Resolve(new DaemonSettings(), """{"log-level": "info", "log-opts": {"max-size": "1m"}}""");
        var after = Resolve(new DaemonSettings(), """{"log-level": "debug", "log-opts": {"max-size": "2m"}, "registry-mirrors": ["https://m.example"], "shutdown-timeout": 3}""");
        var engineLog = new Berth.Engine.Logs.LogConfig { Type = "json-file", Config = new() { ["max-size"] = "1m" } };
        var level = new LogLevelSwitch(LogLevel.Information);
        var result = ConfigReload.Apply(before, after, services: null, engineLog, level);
        Assert.That(level.Level, Is.EqualTo(LogLevel.Debug));
        Assert.That(engineLog.Config["max-size"], Is.EqualTo("2m"));
        Assert.That(result.Reloaded, Has.Count.EqualTo(3));
        Assert.That(result.Reloaded[1], Does.Contain("registry-mirrors=[https://m.example/]"));
        Assert.That(result.NeedRestart, Is.EqualTo(new[] { "shutdown-timeout" }));
    }
}
