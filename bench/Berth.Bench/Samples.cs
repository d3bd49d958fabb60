using System.Globalization;

namespace Berth.Bench;

/// <summary>Timings of one measured thing; reported as min, median and max in milliseconds.</summary>
public sealed class Samples(string name)
{
    private readonly List<double> _ms = [];

    public string Name { get; } = name;

    public int Count => _ms.Count;

    public IReadOnlyList<double> Values => _ms;

    public void Add(TimeSpan elapsed) => _ms.Add(elapsed.TotalMilliseconds);

    public double Median => Percentile(0.5);

    public double Min => _ms.Min();

    public double Max => _ms.Max();

    private double Percentile(double p)
    {
        var sorted = _ms.Order().ToList();
        double index = p * (sorted.Count - 1);
        int lo = (int)Math.Floor(index), hi = (int)Math.Ceiling(index);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (index - lo);
    }

    public string Row() => string.Create(CultureInfo.InvariantCulture, $"| {Name} | {Min:F2} | {Median:F2} | {Max:F2} |");

    /// <summary>Adds a value that is not a time (MB, requests per second); rows still print it as is.</summary>
    public void AddValue(double value) => _ms.Add(value);

    /// <summary>The per-pair differences A-B of two interleaved series (pair i was measured back to back).</summary>
    public static Samples Difference(string name, Samples a, Samples b)
    {
        var difference = new Samples(name);
        for (int i = 0; i < Math.Min(a.Count, b.Count); i++)
            difference._ms.Add(a._ms[i] - b._ms[i]);
        return difference;
    }

    /// <summary>Each value minus a constant (never below 0.1), e.g. a fixed overhead's median.</summary>
    public static Samples Minus(string name, Samples a, double constant)
    {
        var result = new Samples(name);
        foreach (double v in a._ms)
            result._ms.Add(Math.Max(0.1, v - constant));
        return result;
    }

    /// <summary>The per-pair ratios A/B of two interleaved series (pair i was measured back to back).</summary>
    public static Samples Ratio(string name, Samples a, Samples b)
    {
        var ratio = new Samples(name);
        for (int i = 0; i < Math.Min(a.Count, b.Count); i++)
            ratio._ms.Add(a._ms[i] / b._ms[i]);
        return ratio;
    }
}
