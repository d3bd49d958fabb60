using System.Diagnostics;

namespace Berth.Bench;

/// <summary>`strace -c -f -p PID` around an action: the syscall summary of a process (and what it forks) meanwhile.</summary>
public static class Strace
{
    public static bool IsInstalled => Exec.OnPath("strace");

    /// <summary>Syscalls that only wait (for a lock, an event, a child, a timer): left out, so that the summary shows the work.</summary>
    public const string Waiting = "futex,epoll_wait,epoll_pwait,epoll_pwait2,waitid,wait4,restart_syscall,sched_yield,nanosleep,clock_nanosleep,poll,ppoll,select,pselect6";

    /// <summary>The top <paramref name="lines"/> rows of the summary, sorted by time, with its header and total.</summary>
    public static string During(int pid, Action action, int lines = 12)
    {
        if (!IsInstalled)
        {
            action();
            return "(strace is not installed)";
        }
        string output = Path.Combine(Path.GetTempPath(), $"berth-bench-strace-{Guid.NewGuid():N}.txt");
        using var strace = Process.Start(new ProcessStartInfo("strace", ["-c", "-f", "-S", "time", "-e", "trace=!" + Waiting, "-o", output, "-p", pid.ToString()])
        {
            RedirectStandardError = true,
        })!;
        strace.ErrorDataReceived += (_, _) => { };
        strace.BeginErrorReadLine();
        Thread.Sleep(1000); // attaching to every thread takes a moment
        try
        {
            action();
        }
        finally
        {
            Berth.Interop.Sys.Kill(strace.Id, 2);
            strace.WaitForExit(30_000);
        }
        try
        {
            var all = File.ReadAllLines(output).Where(l => l.Trim().Length > 0).ToList();
            File.Delete(output);
            if (all.Count < 3)
                return string.Join('\n', all);
            var header = all.Take(2);
            var rows = all.Skip(2).Where(l => !l.StartsWith("---", StringComparison.Ordinal) && !l.Contains(" total", StringComparison.Ordinal)).Take(lines);
            var total = all.Where(l => l.Contains(" total", StringComparison.Ordinal));
            return string.Join('\n', header.Concat(rows).Concat(total));
        }
        catch (IOException e)
        {
            return "(strace gave no summary: " + e.Message + ")";
        }
    }
}
