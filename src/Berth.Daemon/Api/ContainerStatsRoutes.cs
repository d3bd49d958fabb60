using System.Text.Json;
using Berth.Api;
using Berth.Engine.Containers;
using Berth.Http;

namespace Berth.Daemon.Api;

/// <summary>
/// `docker stats`: samples of the container's cgroup in Docker's StatsJSON, one per second with stream=1 (each
/// carrying the previous sample's CPU as precpu_stats, so the CLI can compute a CPU %). stream=0 answers one
/// sample taken a second after a first one (moby primes its CPU numbers the same way), one-shot=1 a single sample
/// at once. A container that does not run gives samples with only its name and id, like moby.
/// </summary>
public sealed class ContainerStatsRoutes(ApiServices services)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private ContainerManager Containers => services.Engine.Containers;

    public void Map(Router router) => router.MapGet("/containers/{id}/stats", StatsAsync);

    private async Task StatsAsync(HttpContext context)
    {
        var request = context.Request;
        bool stream = !request.Query.Contains("stream") || QueryValues.Bool(request, "stream");
        bool oneShot = QueryValues.Bool(request, "one-shot");
        if (stream && oneShot)
            throw new ApiException(400, "cannot have stream=true and one-shot=true");
        var container = Containers.Get(context.RouteValue("id"));
        var ct = context.RequestAborted;
        context.Response.Headers.Set("Content-Type", "application/json");

        if (!stream)
        {
            var sample = Sample(container);
            if (!oneShot && container.State.Running)
            {
                await Task.Delay(Interval, ct);
                sample = Sample(container, previous: sample);
            }
            await WriteAsync(context, sample, ct);
            return;
        }

        await context.Response.StartAsync(ct);
        ContainerStatsResponse? last = null;
        while (!ct.IsCancellationRequested)
        {
            if (container.State.Status == ContainerStatus.Removing || !Exists(container.Id))
                return;
            last = Sample(container, last);
            await WriteAsync(context, last, ct);
            await Task.Delay(Interval, ct);
        }
    }

    private bool Exists(string id)
    {
        try
        {
            Containers.Get(id);
            return true;
        }
        catch (ContainerNotFoundException)
        {
            return false;
        }
    }

    private static Task WriteAsync(HttpContext context, ContainerStatsResponse sample, CancellationToken ct)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(sample, ApiJsonContext.Default.ContainerStatsResponse);
        return context.Response.Body.WriteAsync(json.Append((byte)'\n').ToArray(), ct).AsTask();
    }

    /// <summary>One sample; <paramref name="previous"/> becomes its precpu_stats and preread.</summary>
    private ContainerStatsResponse Sample(Container container, ContainerStatsResponse? previous = null)
    {
        var sample = new ContainerStatsResponse { Name = "/" + container.Name, Id = container.Id };
        if (previous is not null)
        {
            sample.PreCpuStats = previous.CpuStats;
            sample.PreRead = previous.Read;
        }
        var now = DateTime.UtcNow;
        var stats = Containers.ReadStats(container.Id);
        var details = Containers.ReadStatDetails(container.Id);
        if (stats is null || details is null)
            return sample;
        var (systemNanoseconds, onlineCpus) = HostCpu.Read();
        sample.Read = ApiTimestamp.Format(now);
        sample.PidsStats = new StatsPids { Current = stats.PidsCurrent ?? 0, Limit = stats.PidsLimit ?? 0 };
        sample.CpuStats = new StatsCpu
        {
            CpuUsage = new StatsCpuUsage
            {
                TotalUsage = stats.CpuUsageNanoseconds ?? 0,
                PercpuUsage = details.PerCpuUsageNanoseconds?.ToList(),
                UsageInKernelmode = details.CpuSystemNanoseconds ?? 0,
                UsageInUsermode = details.CpuUserNanoseconds ?? 0,
            },
            SystemCpuUsage = systemNanoseconds,
            OnlineCpus = onlineCpus,
            ThrottlingData = new StatsThrottling
            {
                Periods = details.ThrottlingPeriods ?? 0,
                ThrottledPeriods = details.ThrottledPeriods ?? 0,
                ThrottledTime = details.ThrottledTimeNanoseconds ?? 0,
            },
        };
        long hostMemory = HostFacts.MemTotal;
        long limit = stats.MemoryLimitBytes ?? hostMemory;
        sample.MemoryStats = new StatsMemory
        {
            Usage = stats.MemoryUsageBytes ?? 0,
            MaxUsage = details.MemoryMaxUsageBytes ?? 0,
            Stats = details.MemoryStat.Count > 0 ? new Dictionary<string, long>(details.MemoryStat) : null,
            Failcnt = details.MemoryFailcnt ?? 0,
            // Like moby: a limit above the host's memory (or none) is reported as the host's memory.
            Limit = hostMemory > 0 && limit > hostMemory ? hostMemory : limit,
        };
        return sample;
    }
}
