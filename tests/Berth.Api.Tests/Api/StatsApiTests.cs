using System.Globalization;
using System.Text;
using System.Text.Json;
using Berth.Api.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Api.Tests.Api;

/// <summary>GET /containers/{id}/stats: one-shot, stream=0 (with precpu), stream=1 (a sample per second), a stopped container.</summary>
public sealed class StatsApiTests : DaemonFixture
{
    private const long Limit = 64L * 1024 * 1024;
    private string _limited = "";
    private string _name = "";

    [OneTimeSetUp]
    public async Task StartALimitedContainer()
    {
        _name = UniqueName("stats");
        _limited = await Api.CreateAsync(_name, $$$"""{"Image":"busybox","Cmd":["sleep","1000"],"HostConfig":{"Memory":{{{Limit}}}}}""");
        Assert.That((await Api.PostAsync($"/v1.50/containers/{_limited}/start")).Status, Is.EqualTo(204));
    }

    [OneTimeTearDown]
    public async Task RemoveIt()
    {
        if (_limited.Length > 0)
            await Api.DeleteAsync($"/v1.50/containers/{_limited}?force=1");
    }

    [Test]
    public async Task OneShotIsOneSampleOfTheCgroup()
    {
        var response = await Api.GetAsync($"/v1.50/containers/{_limited}/stats?stream=0&one-shot=1");
        Assert.That(response.Status, Is.EqualTo(200), response.ToString());
        Assert.That(response.Headers["Content-Type"], Is.EqualTo("application/json"));
        var json = response.Json;
        Assert.That(json.GetProperty("name").GetString(), Is.EqualTo("/" + _name));
        Assert.That(json.GetProperty("id").GetString(), Is.EqualTo(_limited));
        Assert.That(json.GetProperty("read").GetString(), Does.Not.StartWith("0001-"));
        Assert.That(json.GetProperty("preread").GetString(), Is.EqualTo("0001-01-01T00:00:00Z"));
        var memory = json.GetProperty("memory_stats");
        Assert.That(memory.GetProperty("limit").GetInt64(), Is.EqualTo(Limit));
        Assert.That(memory.GetProperty("usage").GetInt64(), Is.GreaterThan(0));
        Assert.That(memory.GetProperty("stats").EnumerateObject().Select(p => p.Name), Does.Contain("inactive_file").Or.Contain("total_inactive_file"));
        var cpu = json.GetProperty("cpu_stats");
        Assert.That(cpu.GetProperty("cpu_usage").GetProperty("total_usage").GetInt64(), Is.GreaterThan(0));
        Assert.That(cpu.GetProperty("system_cpu_usage").GetInt64(), Is.GreaterThan(0));
        int cpus = File.ReadLines("/proc/stat").Count(l => l.StartsWith("cpu", StringComparison.Ordinal) && !l.StartsWith("cpu ", StringComparison.Ordinal));
        Assert.That(cpu.GetProperty("online_cpus").GetInt32(), Is.EqualTo(cpus));
        Assert.That(cpu.TryGetProperty("throttling_data", out _), Is.True);
        Assert.That(json.GetProperty("pids_stats").GetProperty("current").GetInt64(), Is.EqualTo(1));
        Assert.That(json.GetProperty("precpu_stats").TryGetProperty("system_cpu_usage", out _), Is.False, "no previous sample");
    }

    [Test]
    public async Task NoStreamCarriesThePreviousSampleForTheCpuPercentage()
    {
        var json = (await Api.GetAsync($"/v1.50/containers/{_limited}/stats?stream=0")).Json;
        long now = json.GetProperty("cpu_stats").GetProperty("system_cpu_usage").GetInt64();
        long before = json.GetProperty("precpu_stats").GetProperty("system_cpu_usage").GetInt64();
        Assert.That(before, Is.GreaterThan(0).And.LessThan(now));
        Assert.That(json.GetProperty("preread").GetString(), Does.Not.StartWith("0001-"));
    }

    [Test]
    public async Task StreamSendsASampleEverySecond()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var response = await Api.Http.GetAsync($"/v1.50/containers/{_limited}/stats", cts.Token);
        Assert.That(response.StatusCode, Is.EqualTo(200));
        using var reader = new StreamReader(response.Body, Encoding.UTF8);
        var first = JsonDocument.Parse((await reader.ReadLineAsync(cts.Token))!).RootElement;
        var second = JsonDocument.Parse((await reader.ReadLineAsync(cts.Token))!).RootElement;
        Assert.That(second.GetProperty("preread").GetString(), Is.EqualTo(first.GetProperty("read").GetString()));
        Assert.That(second.GetProperty("precpu_stats").GetProperty("system_cpu_usage").GetInt64(),
            Is.EqualTo(first.GetProperty("cpu_stats").GetProperty("system_cpu_usage").GetInt64()));
    }

    [Test]
    public async Task AContainerThatDoesNotRunGivesAnEmptySample()
    {
        string id = await CreateAsync(UniqueName("idle"), "true");
        var json = (await Api.GetAsync($"/v1.50/containers/{id}/stats?stream=0")).Json;
        Assert.That(json.GetProperty("id").GetString(), Is.EqualTo(id));
        Assert.That(json.GetProperty("read").GetString(), Is.EqualTo("0001-01-01T00:00:00Z"));
        Assert.That(json.GetProperty("memory_stats").EnumerateObject(), Is.Empty);
        Assert.That(json.GetProperty("cpu_stats").GetProperty("cpu_usage").GetProperty("total_usage").GetInt64(), Is.Zero);
        await Api.DeleteAsync($"/v1.50/containers/{id}");
    }

    [Test]
    public async Task WithoutALimitTheHostsMemoryIsTheLimit()
    {
        string id = await CreateAsync(UniqueName("unlimited"), "sleep", "1000");
        await Api.PostAsync($"/v1.50/containers/{id}/start");
        var json = (await Api.GetAsync($"/v1.50/containers/{id}/stats?stream=0&one-shot=1")).Json;
        string memTotal = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        long host = long.Parse(memTotal.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        Assert.That(json.GetProperty("memory_stats").GetProperty("limit").GetInt64(), Is.EqualTo(host));
        await Api.DeleteAsync($"/v1.50/containers/{id}?force=1");
    }

    [Test]
    public async Task Errors()
    {
        Assert.That((await Api.GetAsync($"/v1.50/containers/{_limited}/stats?stream=1&one-shot=1")).Status, Is.EqualTo(400));
        Assert.That((await Api.GetAsync("/v1.50/containers/nope/stats?stream=0")).Status, Is.EqualTo(404));
    }
}
