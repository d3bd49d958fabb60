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
public sealed partial class Report
{
    private readonly List<(string Title, string Body)> _sections = [];

    public List<Target> Targets { get; } = [];

    public List<string> Notes { get; } = [];

    public void Section(string title, string body) => _sections.Add((title, body));

    public IEnumerable<(string Title, string Body)> Sections => _sections;

    public static string F(double value, int decimals = 2) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    /// <summary>A markdown table; a column whose cells are all numbers is right-aligned, '|' in a cell is escaped.</summary>
    public static string Table(string[] header, IEnumerable<string[]> rows)
    {
        var list = rows.ToList();
        bool Numeric(int column) => list.All(r => column >= r.Length || NumberCell().IsMatch(r[column]));
        var sb = new StringBuilder();
        sb.AppendLine("| " + string.Join(" | ", header.Select(Escape)) + " |");
        sb.AppendLine("|" + string.Concat(header.Select((_, i) => i > 0 && Numeric(i) ? "---:|" : "---|")));
        foreach (var row in list)
            sb.AppendLine("| " + string.Join(" | ", row.Select(Escape)) + " |");
        return sb.ToString();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\**-?[0-9.]*( ?x)?\**$")]
    private static partial System.Text.RegularExpressions.Regex NumberCell();

    private static string Escape(string cell) => cell.Replace("|", "\\|");

    /// <summary>Row of a timing series: name, min, median, max (ms).</summary>
    public static string[] Row(Samples s, int decimals = 1) => [s.Name, F(s.Min, decimals), F(s.Median, decimals), F(s.Max, decimals)];

    /// <summary>Row of a per-pair ratio series: name, min, median, max (x).</summary>
    public static string[] RatioRow(Samples s) => [s.Name, F(s.Min) + "x", "**" + F(s.Median) + "x**", F(s.Max) + "x"];
}
