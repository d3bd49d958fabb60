using System.Diagnostics;

namespace Berth.Bench;

/// <summary>
/// `perf record` of one process (all its threads) around an action, summarised by shared object: where its CPU time
/// went (the kernel, berthd's own code, libcrypto's hashing, libc). berthd is stripped, so inside berthd the split
/// stops at the binary.
/// </summary>
public static class Perf
{
    public static bool IsInstalled => Exec.OnPath("perf");

    /// <summary>One summary per sort key ("dso", "sym"), each its top <paramref name="lines"/> rows above 1%.</summary>
    public static string During(int pid, Action action, string[] sorts, int lines = 10)
    {
        if (!IsInstalled)
        {
            action();
            return "(perf is not installed)";
        }
        string data = Path.Combine(Path.GetTempPath(), $"berth-bench-perf-{Guid.NewGuid():N}.data");
        using var perf = Process.Start(new ProcessStartInfo("perf", ["record", "-q", "-F", "999", "-o", data, "-p", pid.ToString()])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        perf.ErrorDataReceived += (_, _) => { };
        perf.OutputDataReceived += (_, _) => { };
        perf.BeginErrorReadLine();
        perf.BeginOutputReadLine();
        Thread.Sleep(500);
        try
        {
            action();
        }
        finally
        {
            Berth.Interop.Sys.Kill(perf.Id, 2);
            perf.WaitForExit(60_000);
        }
        try
        {
            var parts = new List<string>();
            foreach (string sort in sorts)
            {
                var r = Exec.Run(["perf", "report", "-i", data, "--stdio", "--sort", sort, "--percent-limit", "1"], captureStdout: true);
                var rows = r.Stdout.Split('\n').Where(l => l.Trim().Length > 0 && !l.StartsWith('#')).Take(lines).Select(l => l.TrimEnd());
                parts.Add($"by {sort}:\n" + string.Join('\n', rows));
            }
            return string.Join("\n\n", parts);
        }
        finally
        {
            File.Delete(data);
        }
    }
}
