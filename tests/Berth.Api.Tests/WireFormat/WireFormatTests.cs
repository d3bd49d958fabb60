using System.Text.Json;
using Berth.Api;
using NUnit.Framework;

namespace Berth.Api.Tests.WireFormat;

public sealed class WireFormatTests
{
    /// <summary>The body docker CLI 28.2.2 sends for `docker create -i --rm --name web -e A=B -v /tmp:/x:ro --memory 64m ...`.</summary>
    private const string CliCreateBody = """
        {"Hostname":"","Domainname":"","User":"","AttachStdin":true,"AttachStdout":true,"AttachStderr":true,"Tty":false,"OpenStdin":true,"StdinOnce":true,"Env":["A=B"],"Cmd":null,"Image":"busybox","Volumes":{},"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":{"a":"b"},"StopTimeout":3,"HostConfig":{"Binds":["/tmp:/x:ro"],"ContainerIDFile":"","LogConfig":{"Type":"","Config":{}},"NetworkMode":"default","PortBindings":{},"RestartPolicy":{"Name":"no","MaximumRetryCount":0},"AutoRemove":true,"VolumeDriver":"","VolumesFrom":null,"ConsoleSize":[0,0],"CapAdd":["CAP_NET_ADMIN"],"CapDrop":null,"CgroupnsMode":"","Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,"GroupAdd":null,"IpcMode":"","Cgroup":"","Links":null,"OomScoreAdj":0,"PidMode":"","Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,"SecurityOpt":["no-new-privileges"],"UTSMode":"","UsernsMode":"","ShmSize":0,"Isolation":"","CpuShares":0,"Memory":67108864,"NanoCpus":0,"CgroupParent":"","BlkioWeight":0,"BlkioWeightDevice":[],"BlkioDeviceReadBps":[],"BlkioDeviceWriteBps":[],"BlkioDeviceReadIOps":[],"BlkioDeviceWriteIOps":[],"CpuPeriod":0,"CpuQuota":0,"CpuRealtimePeriod":0,"CpuRealtimeRuntime":0,"CpusetCpus":"","CpusetMems":"","Devices":[],"DeviceCgroupRules":null,"DeviceRequests":null,"MemoryReservation":0,"MemorySwap":0,"MemorySwappiness":-1,"OomKillDisable":false,"PidsLimit":0,"Ulimits":[],"CpuCount":0,"CpuPercent":0,"IOMaximumIOps":0,"IOMaximumBandwidth":0,"MaskedPaths":null,"ReadonlyPaths":null},"NetworkingConfig":{"EndpointsConfig":{"default":{"IPAMConfig":null,"Links":null,"Aliases":null,"MacAddress":"","DriverOpts":null,"GwPriority":0,"NetworkID":"","EndpointID":"","Gateway":"","IPAddress":"","IPPrefixLen":0,"IPv6Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"DNSNames":null}}}}
        """;

    [Test]
    public void ReadsTheCreateBodyOfTheDockerCli()
    {
        var request = JsonSerializer.Deserialize(CliCreateBody, ApiJsonContext.Default.ContainerCreateRequest)!;
        Assert.That(request.Image, Is.EqualTo("busybox"));
        Assert.That(request.Env, Is.EqualTo(new[] { "A=B" }));
        Assert.That(request.Cmd, Is.Null);
        Assert.That(request.OpenStdin && request.StdinOnce && request.AttachStdin, Is.True);
        Assert.That(request.StopTimeout, Is.EqualTo(3));
        Assert.That(request.Labels, Is.EqualTo(new Dictionary<string, string> { ["a"] = "b" }));
        var host = request.HostConfig!;
        Assert.That(host.Binds, Is.EqualTo(new[] { "/tmp:/x:ro" }));
        Assert.That(host.AutoRemove, Is.True);
        Assert.That(host.Memory, Is.EqualTo(64 * 1024 * 1024));
        Assert.That(host.MemorySwappiness, Is.EqualTo(-1));
        Assert.That(host.ConsoleSize, Is.EqualTo(new[] { 0, 0 }));
        Assert.That(host.CapAdd, Is.EqualTo(new[] { "CAP_NET_ADMIN" }));
        Assert.That(host.SecurityOpt, Is.EqualTo(new[] { "no-new-privileges" }));
        Assert.That(host.RestartPolicy!.Name, Is.EqualTo("no"));
        Assert.That(host.LogConfig!.Type, Is.Empty);
        Assert.That(host.NetworkMode, Is.EqualTo("default"));
        Assert.That(host.PortBindings, Is.Empty);
        Assert.That(request.NetworkingConfig!.EndpointsConfig!.Keys, Is.EqualTo(new[] { "default" }));
    }

    [Test]
    public void ReadsSetMapsStringCommandsAndOtherCase()
    {
        var request = JsonSerializer.Deserialize("""{"image":"busybox","Cmd":"echo hi","ExposedPorts":{"80/tcp":{},"53/udp":null},"HostConfig":null}""", ApiJsonContext.Default.ContainerCreateRequest)!;
        Assert.That(request.Image, Is.EqualTo("busybox"));
        Assert.That(request.Cmd, Is.EqualTo(new[] { "echo hi" }));
        Assert.That(request.ExposedPorts!.Keys, Is.EquivalentTo(new[] { "80/tcp", "53/udp" }));
        Assert.That(request.HostConfig, Is.Null);
    }

    [Test]
    public void WritesExposedPortsAsEmptyObjectsAndTheWaitBodyWithANullError()
    {
        var config = new ContainerConfig { Image = "busybox", ExposedPorts = new() { ["80/tcp"] = new EmptyObject() } };
        string json = JsonSerializer.Serialize(new ContainerInspectResponse { Config = config }, ApiJsonContext.Default.ContainerInspectResponse);
        Assert.That(json, Does.Contain("\"ExposedPorts\":{\"80/tcp\":{}}"));
        Assert.That(json, Does.Contain("\"StartedAt\":\"0001-01-01T00:00:00Z\""));
        Assert.That(JsonSerializer.Serialize(new ContainerWaitResponse { StatusCode = 3 }, ApiJsonContext.Default.ContainerWaitResponse),
            Is.EqualTo("""{"StatusCode":3,"Error":null}"""));
    }

    [Test]
    public void JsonMessagesLeaveOutWhatIsNotSet()
    {
        Assert.That(JsonSerializer.Serialize(new JsonMessage { Stream = "Loaded image: busybox:latest\n" }, ApiJsonContext.Default.JsonMessage),
            Is.EqualTo("""{"stream":"Loaded image: busybox:latest\n"}"""));
        Assert.That(JsonSerializer.Serialize(new JsonMessage { ErrorDetail = new ErrorDetail { Message = "bad" }, Error = "bad" }, ApiJsonContext.Default.JsonMessage),
            Is.EqualTo("""{"errorDetail":{"message":"bad"},"error":"bad"}"""));
        Assert.That(JsonSerializer.Serialize(new List<ImageDeleteResponseItem> { new() { Untagged = "busybox:latest" }, new() { Deleted = "sha256:ab" } }, ApiJsonContext.Default.ListImageDeleteResponseItem),
            Is.EqualTo("""[{"Untagged":"busybox:latest"},{"Deleted":"sha256:ab"}]"""));
    }

    [Test]
    public void FiltersReadBothShapesAndWriteTheCliShape()
    {
        var cli = FilterArgs.Parse("""{"label":{"a=b":true,"c":true},"status":{"exited":true}}""");
        Assert.That(cli.Get("label"), Is.EqualTo(new[] { "a=b", "c" }));
        Assert.That(cli.Get("status"), Is.EqualTo(new[] { "exited" }));
        Assert.That(FilterArgs.Parse("""{"name":["web"]}""").Get("name"), Is.EqualTo(new[] { "web" }));
        Assert.That(FilterArgs.Parse(null).Names, Is.Empty);
        Assert.That(new FilterArgs().Add("name", "web").ToJson(), Is.EqualTo("""{"name":{"web":true}}"""));
        Assert.Throws<InvalidFilterException>(() => FilterArgs.Parse("{"));
        Assert.Throws<InvalidFilterException>(() => FilterArgs.Parse("""{"name":"web"}"""));
    }

    [Test]
    public void TimestampsAreRfc3339NanoInUtc()
    {
        Assert.That(ApiTimestamp.Format(default(DateTime)), Is.EqualTo("0001-01-01T00:00:00Z"));
        Assert.That(ApiTimestamp.Format(new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234500)), Is.EqualTo("2025-01-02T03:04:05.12345Z"));
        Assert.That(ApiTimestamp.Format(new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc)), Is.EqualTo("2025-01-02T03:04:05Z"));
    }
}
