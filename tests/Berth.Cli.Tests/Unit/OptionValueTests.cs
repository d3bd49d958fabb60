using Berth.Cli.Api;
using Berth.Cli.Options;
using NUnit.Framework;

namespace Berth.Cli.Tests.Unit;

/// <summary>Flag values parsed as docker parses them: RAMInBytes, --cpus, filters, references, hosts, queries.</summary>
public sealed class OptionValueTests
{
    [TestCase("32m", 32L << 20)]
    [TestCase("32M", 32L << 20)]
    [TestCase("1.5g", 3L << 29)]
    [TestCase("512k", 512L << 10)]
    [TestCase("512kb", 512L << 10)]
    [TestCase("512KiB", 512L << 10)]
    [TestCase("100", 100L)]
    [TestCase("100b", 100L)]
    [TestCase("1 MiB", 1L << 20)]
    [TestCase("2t", 2L << 40)]
    public void MemoryIsRamInBytes(string text, long bytes) => Assert.That(MemorySize.Parse(text), Is.EqualTo(bytes));

    [TestCase("1q", "invalid suffix: 'q'")]
    [TestCase("12mbb", "invalid suffix: 'mbb'")]
    [TestCase("12ib", "invalid suffix: 'ib'")]
    [TestCase("abc", "invalid size: 'abc'")]
    [TestCase("-1m", "invalid size: '-1m'")]
    [TestCase("1.2.3m", "strconv.ParseFloat: parsing \"1.2.3\": invalid syntax")]
    public void BadMemoryValuesAreRejectedWithGoUnitsWords(string text, string message) =>
        Assert.That(Assert.Throws<FlagValueException>(() => MemorySize.Parse(text))!.Message, Is.EqualTo(message));

    [TestCase("1.5", 1_500_000_000L)]
    [TestCase("0.25", 250_000_000L)]
    [TestCase("2", 2_000_000_000L)]
    [TestCase("3/2", 1_500_000_000L)]
    [TestCase("1e-3", 1_000_000L)]
    [TestCase("0.000000001", 1L)]
    public void CpusAreNanoCpus(string text, long nano) => Assert.That(NanoCpus.Parse(text), Is.EqualTo(nano));

    [Test]
    public void FiltersAreSortedGoMaps()
    {
        var filters = FilterFlags.Parse(["status=running", " Name = web ", "name=api", "label=a=b"]);
        Assert.That(filters.ToJson(), Is.EqualTo("{\"label\":{\"a=b\":true},\"name\":{\"api\":true,\"web\":true},\"status\":{\"running\":true}}"));
        Assert.That(Assert.Throws<FlagValueException>(() => FilterFlags.Parse(["bogus"]))!.Message, Is.EqualTo("bad format of filter (expected name=value)"));
    }

    [TestCase("busybox", "docker.io/library/busybox", "latest", "busybox:latest")]
    [TestCase("busybox:1.36", "docker.io/library/busybox", "1.36", "busybox:1.36")]
    [TestCase("missing:1", "docker.io/library/missing", "1", "missing:1")]
    [TestCase("team/app", "docker.io/team/app", "latest", "team/app:latest")]
    [TestCase("registry.example.com:5000/team/app:v1", "registry.example.com:5000/team/app", "v1", "registry.example.com:5000/team/app:v1")]
    [TestCase("localhost/app", "localhost/app", "latest", "localhost/app:latest")]
    [TestCase("docker.io/library/busybox:latest", "docker.io/library/busybox", "latest", "busybox:latest")]
    public void ReferencesNormalizeLikeDistribution(string text, string name, string tag, string familiar)
    {
        var reference = CliReference.Parse(text);
        Assert.That(reference.Name, Is.EqualTo(name));
        Assert.That(CliReference.ApiTag(reference), Is.EqualTo(tag));
        Assert.That(reference.WithDefaultTag().FamiliarString, Is.EqualTo(familiar));
    }

    [Test]
    public void UppercaseRepositoriesAreInvalid() =>
        Assert.That(Assert.Throws<FormatException>(() => CliReference.Parse("Busybox"))!.Message,
            Is.EqualTo("invalid reference format: repository name (library/Busybox) must be lowercase"));

    [Test]
    public void HostFlagWinsOverBerthHostOverDockerHostOverDefault()
    {
        var environment = new Dictionary<string, string?> { ["BERTH_HOST"] = "unix:///berth.sock", ["DOCKER_HOST"] = "unix:///docker.sock" };
        Assert.That(DaemonHost.Resolve("unix:///flag.sock", n => environment.GetValueOrDefault(n)).Address, Is.EqualTo("unix:///flag.sock"));
        Assert.That(DaemonHost.Resolve(null, n => environment.GetValueOrDefault(n)).Address, Is.EqualTo("unix:///berth.sock"));
        environment["BERTH_HOST"] = "";
        Assert.That(DaemonHost.Resolve(null, n => environment.GetValueOrDefault(n)).Address, Is.EqualTo("unix:///docker.sock"));
        environment.Clear();
        Assert.That(DaemonHost.Resolve(null, n => environment.GetValueOrDefault(n)).Address, Is.EqualTo("unix:///run/berth/berth.sock"));
        Assert.That(DaemonHost.Resolve("tcp://127.0.0.1:2375", _ => null).EndPoint.ToString(), Is.EqualTo("127.0.0.1:2375"));
        Assert.Throws<FormatException>(() => DaemonHost.Resolve("bogus", _ => null));
    }

    [Test]
    public void QueriesAreSortedAndEscapedLikeGoUrlValues()
    {
        var query = new QueryString().Set("stream", "1").Set("stdout", "1").Set("stderr", "1");
        Assert.That(query.ToString(), Is.EqualTo("?stderr=1&stdout=1&stream=1"));
        var pull = new QueryString().Set("tag", "latest").Set("fromImage", "docker.io/library/busybox");
        Assert.That(pull.ToString(), Is.EqualTo("?fromImage=docker.io%2Flibrary%2Fbusybox&tag=latest"));
        Assert.That(new QueryString().Set("filters", "{\"a b\":{\"x\":true}}").ToString(), Is.EqualTo("?filters=%7B%22a+b%22%3A%7B%22x%22%3Atrue%7D%7D"));
        Assert.That(QueryString.EscapePath("registry:5000/team/app:v1"), Is.EqualTo("registry:5000/team/app:v1"));
        Assert.That(QueryString.EscapePath("a b?#"), Is.EqualTo("a%20b%3F%23"));
    }

    [Test]
    public void ApiVersionIsTheLowerOfBoth()
    {
        Assert.That(ApiVersionNumber.Negotiate("1.51"), Is.EqualTo("1.50"));
        Assert.That(ApiVersionNumber.Negotiate("1.41"), Is.EqualTo("1.41"));
        Assert.That(ApiVersionNumber.Negotiate("1.9"), Is.EqualTo("1.9"));
        Assert.That(ApiVersionNumber.Negotiate(null), Is.EqualTo("1.24"));
    }

    [Test]
    public void LogTimesAreDockerTimestamps()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        Assert.That(LogTimestamp.Convert("10m", now), Is.EqualTo("1699999400"), "a duration gives whole seconds, as docker sends it");
        Assert.That(LogTimestamp.Convert("1h30m", now), Is.EqualTo("1699994600"));
        Assert.That(LogTimestamp.Convert("1699999999.5", now), Is.EqualTo("1699999999.5"));
        Assert.That(LogTimestamp.Convert("2023-11-14T22:13:20Z", now), Is.EqualTo("1700000000.000000000"));
    }
}
