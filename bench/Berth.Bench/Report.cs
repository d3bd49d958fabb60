using System.Globalization;
using System.Text;

namespace Berth.Bench;

/// <summary>One target of issue 5, judged on this run's numbers.</summary>
/// <param name="Goal">the target in words, e.g. "`berth run --rm` at most 0.7x `crun run`"</param>
/// <param name="Measured">the number it was judged on, with its unit</param>
/// <param name="Pass">null when it could not be measured in this run</param>
/// <param name="Costliest">for a miss: the stage that costs the most, with its numbers</param>
public sealed record Target(string Goal, string Measured, bool? Pass, string Costliest = "");

/// <summary>The results file: sections in order, the targets, and numbers for the chart.</summary>
public sealed class Report
{
    private readonly List<(string Title, string Body)> _sections = [];

    public List<Target> Targets { get; } = [];

    public List<string> Notes { get; } = [];

    public void Section(string title, string body) => _sections.Add((title, body));

    public IEnumerable<(string Title, string Body)> Sections => _sections;

    public static string F(double value, int decimals = 2) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    /// <summary>A markdown table.</summary>
    public static string Table(string[] header, IEnumerable<string[]> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| " + string.Join(" | ", header) + " |");
        sb.AppendLine("|" + string.Concat(header.Select((_, i) => i == 0 ? "---|" : "---:|")));
        foreach (var row in rows)
            sb.AppendLine("| " + string.Join(" | ", row) + " |");
        return sb.ToString();
    }

    /// <summary>Row of a timing series: name, min, median, max (ms).</summary>
    public static string[] Row(Samples s, int decimals = 1) => [s.Name, F(s.Min, decimals), F(s.Median, decimals), F(s.Max, decimals)];

    /// <summary>Row of a per-pair ratio series: name, min, median, max (x).</summary>
    public static string[] RatioRow(Samples s) => [s.Name, F(s.Min) + "x", "**" + F(s.Median) + "x**", F(s.Max) + "x"];
}
