using System.Text.Json;
using Berth.Daemon.Api;
using Berth.Http;
using NUnit.Framework;

namespace Berth.Api.Tests.Unit;

/// <summary>What POST /containers/create accepts (the CLI's defaults) and what it refuses (any unsupported field a user set).</summary>
public sealed class CreateRequestMapperTests
{
    /// <summary>`docker create -i --rm --name web -e A=B -v /tmp:/x:ro --memory 64m --cap-add NET_ADMIN --security-opt no-new-privileges --stop-timeout 3 -l a=b busybox` from docker CLI 28.2.2.</summary>
    internal const string CliBody = """
        {"Hostname":"","Domainname":"","User":"","AttachStdin":true,"AttachStdout":true,"AttachStderr":true,"Tty":false,"OpenStdin":true,"StdinOnce":true,"Env":["A=B"],"Cmd":null,"Image":"busybox","Volumes":{},"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":{"a":"b"},"StopTimeout":3,"HostConfig":{"Binds":["/tmp:/x:ro"],"ContainerIDFile":"","LogConfig":{"Type":"","Config":{}},"NetworkMode":"default","PortBindings":{},"RestartPolicy":{"Name":"no","MaximumRetryCount":0},"AutoRemove":true,"VolumeDriver":"","VolumesFrom":null,"ConsoleSize":[0,0],"CapAdd":["CAP_NET_ADMIN"],"CapDrop":null,"CgroupnsMode":"","Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,"GroupAdd":null,"IpcMode":"","Cgroup":"","Links":null,"OomScoreAdj":0,"PidMode":"","Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,"SecurityOpt":["no-new-privileges"],"UTSMode":"","UsernsMode":"","ShmSize":0,"Isolation":"","CpuShares":0,"Memory":67108864,"NanoCpus":0,"CgroupParent":"","BlkioWeight":0,"BlkioWeightDevice":[],"BlkioDeviceReadBps":[],"BlkioDeviceWriteBps":[],"BlkioDeviceReadIOps":[],"BlkioDeviceWriteIOps":[],"CpuPeriod":0,"CpuQuota":0,"CpuRealtimePeriod":0,"CpuRealtimeRuntime":0,"CpusetCpus":"","CpusetMems":"","Devices":[],"DeviceCgroupRules":null,"DeviceRequests":null,"MemoryReservation":0,"MemorySwap":0,"MemorySwappiness":-1,"OomKillDisable":false,"PidsLimit":0,"Ulimits":[],"CpuCount":0,"CpuPercent":0,"IOMaximumIOps":0,"IOMaximumBandwidth":0,"MaskedPaths":null,"ReadonlyPaths":null},"NetworkingConfig":{"EndpointsConfig":{"default":{"IPAMConfig":null,"Links":null,"Aliases":null,"MacAddress":"","DriverOpts":null,"GwPriority":0,"NetworkID":"","EndpointID":"","Gateway":"","IPAddress":"","IPPrefixLen":0,"IPv6Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"DNSNames":null}}}}
        """;

    private static ContainerCreateRequest Parse(string json) => JsonSerializer.Deserialize(json, ApiJsonContext.Default.ContainerCreateRequest)!;

    [Test]
    public void AcceptsEverythingTheCliSendsByDefault()
    {
        var (config, host) = CreateRequestMapper.Map(Parse(CliBody));
        Assert.That(config.Image, Is.EqualTo("busybox"));
        Assert.That(config.OpenStdin && config.StdinOnce, Is.True);
        Assert.That(config.StopTimeout, Is.EqualTo(3));
        Assert.That(config.Labels!["a"], Is.EqualTo("b"));
        Assert.That(host.Binds, Is.EqualTo(new[] { "/tmp:/x:ro" }));
        Assert.That(host.AutoRemove, Is.True);
        Assert.That(host.Memory, Is.EqualTo(64L * 1024 * 1024));
        Assert.That(host.CapAdd, Is.EqualTo(new[] { "CAP_NET_ADMIN" }));
        Assert.That(host.NoNewPrivileges, Is.True);
    }

    [Test]
    public void AcceptsAMinimalBodyAndNetworkNone()
    {
        Assert.DoesNotThrow(() => CreateRequestMapper.Map(Parse("""{"Image":"busybox"}""")));
        Assert.DoesNotThrow(() => CreateRequestMapper.Map(Parse("""{"Image":"busybox","HostConfig":{"NetworkMode":"none"},"NetworkingConfig":{"EndpointsConfig":{}}}""")));
        Assert.DoesNotThrow(() => CreateRequestMapper.Map(Parse("""{"Image":"busybox","ExposedPorts":{"80/tcp":{}},"HostConfig":{"PortBindings":{"80/tcp":[]}}}""")));
    }

    [TestCase("""{"Image":"busybox","HostConfig":{"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}]}}}""", "PortBindings")]
    [TestCase("""{"Image":"busybox","HostConfig":{"Devices":[{"PathOnHost":"/dev/fuse","PathInContainer":"/dev/fuse","CgroupPermissions":"rwm"}]}}""", "Devices")]
    [TestCase("""{"Image":"busybox","HostConfig":{"NetworkMode":"host"}}""", "NetworkMode")]
    [TestCase("""{"Image":"busybox","HostConfig":{"Ulimits":[{"Name":"nofile","Soft":1,"Hard":2}]}}""", "Ulimits")]
    [TestCase("""{"Image":"busybox","HostConfig":{"SecurityOpt":["apparmor=unconfined"]}}""", "SecurityOpt")]
    [TestCase("""{"Image":"busybox","HostConfig":{"MemorySwappiness":10}}""", "MemorySwappiness")]
    [TestCase("""{"Image":"busybox","HostConfig":{"Links":["db:mysql"]}}""", "Links")]
    [TestCase("""{"Image":"busybox","NetworkingConfig":{"EndpointsConfig":{"default":{"Aliases":["web"]}}}}""", "EndpointsConfig")]
    public void RefusesUnsupportedFieldsThatAreSet(string json, string field)
    {
        var e = Assert.Throws<ApiException>(() => CreateRequestMapper.Map(Parse(json)))!;
        Assert.That(e.StatusCode, Is.EqualTo(400));
        Assert.That(e.Message, Does.StartWith("not supported by Berth yet: ").And.Contain(field));
    }

    [Test]
    public void CarriesDnsSettingsAndExtraHostsAndChecksThem()
    {
        var (_, host) = CreateRequestMapper.Map(Parse("""
            {"Image":"busybox","HostConfig":{"Dns":["1.1.1.1"],"DnsSearch":["example.test"],"DnsOptions":["ndots:2"],"ExtraHosts":["db:10.0.0.2","gw=host-gateway"]}}
            """));
        Assert.That((host.Dns, host.DnsSearch, host.DnsOptions, host.ExtraHosts), Is.EqualTo((new[] { "1.1.1.1" }, new[] { "example.test" }, new[] { "ndots:2" }, new[] { "db:10.0.0.2", "gw=host-gateway" })));
        var dns = Assert.Throws<ApiException>(() => CreateRequestMapper.Map(Parse("""{"Image":"busybox","HostConfig":{"Dns":["one"]}}""")))!;
        Assert.That((dns.StatusCode, dns.Message), Is.EqualTo((400, "invalid IP address: one")));
        var extra = Assert.Throws<ApiException>(() => CreateRequestMapper.Map(Parse("""{"Image":"busybox","HostConfig":{"ExtraHosts":["nohost"]}}""")))!;
        Assert.That((extra.StatusCode, extra.Message), Is.EqualTo((400, "bad format for add-host: \"nohost\"")));
    }

    [Test]
    public void CarriesTtyConsoleSizeAndInit()
    {
        var (config, host) = CreateRequestMapper.Map(Parse("""{"Image":"busybox","Tty":true,"OpenStdin":true,"StdinOnce":true,"HostConfig":{"Init":true,"ConsoleSize":[40,120]}}"""));
        Assert.That(config.Tty && config.OpenStdin && config.StdinOnce, Is.True);
        Assert.That(host.Init, Is.True);
        Assert.That(host.ConsoleSize, Is.EqualTo(new[] { 40, 120 }));
        var (_, plain) = CreateRequestMapper.Map(Parse(CliBody));
        Assert.That(plain.Init, Is.False);
    }

    [Test]
    public void CarriesVolumesMountsTmpfsVolumesFromAndLogConfig()
    {
        var (config, host) = CreateRequestMapper.Map(Parse("""
            {"Image":"busybox","Volumes":{"/data":{}},"HostConfig":{"Tmpfs":{"/t":"size=1m"},"VolumesFrom":["other:ro"],
             "LogConfig":{"Type":"json-file","Config":{"max-size":"10m"}},
             "Mounts":[{"Type":"volume","Source":"v","Target":"/v","ReadOnly":true,"VolumeOptions":{"NoCopy":true,"DriverConfig":{"Name":"local","Options":{"type":"tmpfs","device":"tmpfs"}}}},
                       {"Type":"tmpfs","Target":"/run","TmpfsOptions":{"SizeBytes":1048576,"Mode":448}},
                       {"Type":"bind","Source":"/srv","Target":"/srv","BindOptions":{"Propagation":"rslave"}}]}}
            """));
        Assert.That(config.Volumes, Is.EqualTo(new[] { "/data" }));
        Assert.That(host.Tmpfs!["/t"], Is.EqualTo("size=1m"));
        Assert.That(host.VolumesFrom, Is.EqualTo(new[] { "other:ro" }));
        Assert.That(host.LogConfig!.Config["max-size"], Is.EqualTo("10m"));
        var volume = host.Mounts![0];
        Assert.That((volume.Type, volume.Source, volume.ReadOnly, volume.NoCopy, volume.VolumeDriver, volume.VolumeDriverOptions!["type"]), Is.EqualTo(("volume", "v", true, true, "local", "tmpfs")));
        Assert.That((host.Mounts[1].TmpfsSizeBytes, host.Mounts[1].TmpfsMode), Is.EqualTo((1048576L, 448u)));
        Assert.That(host.Mounts[2].Propagation, Is.EqualTo("rslave"));
    }

    [TestCase("""{"Type":"volume","Target":"/x","TmpfsOptions":{"SizeBytes":1}}""", "invalid mount config for type \"volume\": field TmpfsOptions must not be specified")]
    [TestCase("""{"Type":"bind","Target":"/x","Source":"/a","BindOptions":{"Propagation":"sideways"}}""", "invalid propagation mode: sideways")]
    [TestCase("""{"Type":"npipe","Target":"/x"}""", "not supported by Berth")]
    [TestCase("""{"Type":"weird","Target":"/x"}""", "mount type unknown")]
    [TestCase("""{"Type":"volume","Target":"/x","VolumeOptions":{"Subpath":"a"}}""", "volume subpaths are not supported by Berth")]
    public void RefusesMountsWithOptionsOfAnotherTypeOrUnsupported(string mount, string message)
    {
        var e = Assert.Throws<ApiException>(() => CreateRequestMapper.Map(Parse("""{"Image":"busybox","HostConfig":{"Mounts":[""" + mount + "]}}")))!;
        Assert.That(e.StatusCode, Is.EqualTo(400));
        Assert.That(e.Message, Does.Contain(message));
    }

    [Test]
    public void AnUnknownNetworkIsNotFound()
    {
        var e = Assert.Throws<ApiException>(() => CreateRequestMapper.Map(Parse("""{"Image":"busybox","NetworkingConfig":{"EndpointsConfig":{"mynet":{}}}}""")))!;
        Assert.That(e.StatusCode, Is.EqualTo(404));
        Assert.That(e.Message, Is.EqualTo("network mynet not found"));
    }

    [Test]
    public void NamesEveryRefusedFieldAtOnce()
    {
        var e = Assert.Throws<ApiException>(() => CreateRequestMapper.Map(Parse("""{"Image":"busybox","HostConfig":{"Ulimits":[{"Name":"nofile","Soft":1,"Hard":2}],"PublishAllPorts":true}}""")))!;
        Assert.That(e.Message, Does.Contain("Ulimits").And.Contain("PublishAllPorts"));
    }
}
