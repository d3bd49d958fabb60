using System.Globalization;
using System.Text;

namespace Berth.Bench;

/// <summary>
/// bench/results/latest.png, drawn by gnuplot (gnuplot-nox, pngcairo) from data files the harness writes to
/// bench/results/raw/: medians as bars with min-max whiskers for benchmark 1 (log scale), benchmark 2's start of 50
/// containers, and benchmark 3's engine memory per container.
/// </summary>
public static class Chart
{
    public sealed record Bar(string Label, double Median, double Min, double Max);

    public static string Draw(string title, List<Bar> runRm, List<Bar> density, List<Bar> memory, string rawDirectory, string png)
    {
        if (!Exec.OnPath("gnuplot"))
            return "gnuplot is not installed (bench/setup.sh installs gnuplot-nox): no chart";
        Directory.CreateDirectory(rawDirectory);
        string Data(string name, List<Bar> bars)
        {
            string path = Path.Combine(rawDirectory, name);
            File.WriteAllLines(path, bars.Select(b => string.Create(CultureInfo.InvariantCulture,
                $"\"{b.Label}\" {b.Median:F3} {b.Min:F3} {b.Max:F3}")));
            return path;
        }
        string f1 = Data("chart-run-rm.dat", runRm), f2 = Data("chart-density.dat", density), f3 = Data("chart-memory.dat", memory);
        var gp = new StringBuilder();
        gp.AppendLine($"set terminal pngcairo size 1400,1000 font 'DejaVu Sans,11'");
        gp.AppendLine($"set output '{png}'");
        gp.AppendLine("set style fill solid 0.6 border -1");
        gp.AppendLine("set boxwidth 0.6");
        gp.AppendLine("set grid ytics");
        gp.AppendLine("unset key");
        gp.AppendLine("set xtics nomirror noenhanced");
        gp.AppendLine($"set multiplot title \"{title}\" noenhanced");
        gp.AppendLine("set size 1,0.55; set origin 0,0.42");
        gp.AppendLine("set title '1. run --rm busybox true: median ms, whiskers min-max (log scale)'");
        gp.AppendLine("set logscale y; set yrange [1:*]; set ylabel 'ms'");
        gp.AppendLine($"plot '{f1}' using 0:2:xtic(1) with boxes lc rgb '#4477aa', '' using 0:2:3:4 with yerrorbars lc rgb 'black' pt 0, '' using 0:2:(sprintf('%.1f', $2)) with labels offset 3.5,0.6 font ',10'");
        gp.AppendLine("unset logscale y; set yrange [0:*]");
        gp.AppendLine("set size 0.5,0.42; set origin 0,0");
        gp.AppendLine("set title '2. start 50 detached containers: median s, min-max'; set ylabel 's'");
        gp.AppendLine($"plot '{f2}' using 0:2:xtic(1) with boxes lc rgb '#66aa55', '' using 0:2:3:4 with yerrorbars lc rgb 'black' pt 0, '' using 0:2:(sprintf('%.2f', $2)) with labels offset 3.5,0.6 font ',10'");
        gp.AppendLine("set size 0.5,0.42; set origin 0.5,0");
        gp.AppendLine("set title '3. engine memory per running container: MB (PSS)'; set ylabel 'MB'");
        gp.AppendLine($"plot '{f3}' using 0:2:xtic(1) with boxes lc rgb '#cc6677', '' using 0:2:3:4 with yerrorbars lc rgb 'black' pt 0, '' using 0:2:(sprintf('%.2f', $2)) with labels offset 3.5,0.6 font ',10'");
        gp.AppendLine("unset multiplot");
        string script = Path.Combine(rawDirectory, "chart.gp");
        File.WriteAllText(script, gp.ToString());
        var r = Exec.Run(["gnuplot", script], captureStdout: true);
        return r.ExitCode == 0 ? "" : "gnuplot failed: " + r.Stderr.Trim();
    }

    public static Bar From(string label, Samples s, double scale = 1) => new(label, s.Median * scale, s.Min * scale, s.Max * scale);
}
