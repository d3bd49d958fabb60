using System.Globalization;
using System.Text.Json;
using Berth.Api;
using Berth.Cli.Templates;

namespace Berth.Cli.Output;

/// <summary>
/// One line of <c>docker system df</c> (docker/cli formatter diskUsage*Context): the client counts what is active and
/// computes what is reclaimable from GET /system/df, with the percentage of the total when the total is not zero.
/// </summary>
internal sealed record DiskUsageRow(string Type, long TotalCount, long Active, long Size, long Reclaimable, bool ShowPercent = true)
{
    public string ReclaimableText => ShowPercent && Size > 0
        ? $"{HumanUnits.Size(Reclaimable)} ({Reclaimable * 100 / Size}%)"
        : HumanUnits.Size(Reclaimable);

    public static readonly Placeholders<DiskUsageRow> Placeholders = new Placeholders<DiskUsageRow>("*formatter.diskUsageImagesContext", r => r.ToJson())
        .Add("Type", "TYPE", r => r.Type)
        .Add("TotalCount", "TOTAL", r => r.TotalCount.ToString(CultureInfo.InvariantCulture))
        .Add("Active", "ACTIVE", r => r.Active.ToString(CultureInfo.InvariantCulture))
        .Add("Size", "SIZE", r => HumanUnits.Size(r.Size))
        .Add("Reclaimable", "RECLAIMABLE", r => r.ReclaimableText);

    public string ToJson() => GoJson.Object(new Dictionary<string, string?>
    {
        ["Active"] = Active.ToString(CultureInfo.InvariantCulture),
        ["Reclaimable"] = ReclaimableText,
        ["Size"] = HumanUnits.Size(Size),
        ["TotalCount"] = TotalCount.ToString(CultureInfo.InvariantCulture),
        ["Type"] = Type,
    });

    /// <summary>Images, Containers, Local Volumes and Build Cache, as docker's DiskUsageContext.Write computes them.</summary>
    public static IEnumerable<DiskUsageRow> For(SystemDataUsageResponse usage)
    {
        var images = usage.Images ?? [];
        long imagesInUse = images.Where(i => i.Containers != 0 && i.Size != -1 && i.SharedSize != -1).Sum(i => i.Size - i.SharedSize);
        yield return new("Images", images.Count, images.Count(i => i.Containers > 0), usage.LayersSize, usage.LayersSize - imagesInUse);

        var containers = usage.Containers ?? [];
        yield return new("Containers", containers.Count, containers.Count(IsActive), containers.Sum(c => c.SizeRw ?? 0),
            containers.Where(c => !IsActive(c)).Sum(c => c.SizeRw ?? 0));

        var volumes = usage.Volumes ?? [];
        var measured = volumes.Select(v => v.UsageData).Where(u => u is not null && u.Size != -1).ToList();
        yield return new("Local Volumes", volumes.Count, volumes.Count(v => v.UsageData?.RefCount > 0), measured.Sum(u => u!.Size),
            measured.Where(u => u!.RefCount == 0).Sum(u => u!.Size));

        var cache = usage.BuildCache ?? [];
        long cacheSize = cache.Where(c => !Bool(c, "Shared")).Sum(c => Long(c, "Size"));
        long inUse = cache.Where(c => Bool(c, "InUse") && !Bool(c, "Shared")).Sum(c => Long(c, "Size"));
        yield return new("Build Cache", cache.Count, cache.Count(c => Bool(c, "InUse")), cacheSize, cacheSize - inUse, ShowPercent: false);
    }

    /// <summary>docker counts running, paused and restarting containers as active.</summary>
    private static bool IsActive(ContainerSummary container) =>
        container.State.Contains("running") || container.State.Contains("paused") || container.State.Contains("restarting");

    private static bool Bool(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static long Long(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.TryGetInt64(out long number) ? number : 0;
}
