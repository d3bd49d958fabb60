using System.Globalization;
using Berth.Cli.Output;
using Berth.Cli.Templates;

namespace Berth.Cli.Stats;

/// <summary>
/// One container's row of <c>berth stats</c>, formatted as docker/cli's statsContext: "--" everywhere while there
/// is no valid sample, the name without its slash, the id truncated to 12 characters unless --no-trunc, percentages
/// with two decimals, memory in binary units, network and block I/O in decimal units.
/// </summary>
public sealed record StatsRow(string Container, StatsValues Values, bool IsInvalid, bool Truncate)
{
    /// <summary>docker's default stats table on Linux.</summary>
    public const string TableFormat = @"table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";

    private const string NoValue = "--";

    public string Id => Truncate ? ShortId.Of(Values.Id) : Values.Id;

    public string Name => Values.Name.Length > 1 ? Values.Name[1..] : NoValue;

    public string CpuPerc => IsInvalid ? NoValue : Percentage(Values.CpuPercentage);

    public string MemUsage => IsInvalid ? "-- / --" : HumanUnits.BytesSize(Values.Memory) + " / " + HumanUnits.BytesSize(Values.MemoryLimit);

    public string MemPerc => IsInvalid ? NoValue : Percentage(Values.MemoryPercentage);

    public string NetIO => IsInvalid ? NoValue : HumanUnits.Size(Values.NetworkRx, 3) + " / " + HumanUnits.Size(Values.NetworkTx, 3);

    public string BlockIO => IsInvalid ? NoValue : HumanUnits.Size(Values.BlockRead, 3) + " / " + HumanUnits.Size(Values.BlockWrite, 3);

    public string PIDs => IsInvalid ? NoValue : Values.PidsCurrent.ToString(CultureInfo.InvariantCulture);

    /// <summary>docker's statsContext placeholders and their column headers.</summary>
    internal static readonly Placeholders<StatsRow> Placeholders = new Placeholders<StatsRow>("*container.statsContext", r => r.ToJson())
        .Add("Container", "CONTAINER", r => r.Container)
        .Add("Name", "NAME", r => r.Name)
        .Add("ID", "CONTAINER ID", r => r.Id)
        .Add("CPUPerc", "CPU %", r => r.CpuPerc)
        .Add("MemUsage", "MEM USAGE / LIMIT", r => r.MemUsage)
        .Add("MemPerc", "MEM %", r => r.MemPerc)
        .Add("NetIO", "NET I/O", r => r.NetIO)
        .Add("BlockIO", "BLOCK I/O", r => r.BlockIO)
        .Add("PIDs", "PIDS", r => r.PIDs);

    /// <summary>{{json .}} of the row: every field by name, keys sorted, as docker's formatter marshals it.</summary>
    public string ToJson() => GoJson.Object(new Dictionary<string, string?>
    {
        ["BlockIO"] = BlockIO,
        ["CPUPerc"] = CpuPerc,
        ["Container"] = Container,
        ["ID"] = Id,
        ["MemPerc"] = MemPerc,
        ["MemUsage"] = MemUsage,
        ["Name"] = Name,
        ["NetIO"] = NetIO,
        ["PIDs"] = PIDs,
    });

    /// <summary>strconv.FormatFloat(v, 'f', 2, 64) + "%".</summary>
    public static string Percentage(double value) => value.ToString("F2", CultureInfo.InvariantCulture) + "%";
}
