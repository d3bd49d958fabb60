using System.Globalization;
using System.Net.Sockets;

namespace Berth.Daemon.Systemd;

/// <summary>
/// Sockets systemd passed (sd_listen_fds): LISTEN_PID names this process, LISTEN_FDS counts the fds from 3 on,
/// LISTEN_FDNAMES gives their FileDescriptorName= (colon-separated). The variables are removed once read, so no child
/// takes the sockets for its own.
/// </summary>
public sealed class SocketActivation
{
    public const int FirstFd = 3;

    private SocketActivation(IReadOnlyList<(int Fd, string Name)> fds) => Fds = fds;

    public IReadOnlyList<(int Fd, string Name)> Fds { get; }

    public static SocketActivation FromEnvironment()
    {
        string? pid = Environment.GetEnvironmentVariable("LISTEN_PID");
        string? count = Environment.GetEnvironmentVariable("LISTEN_FDS");
        string? names = Environment.GetEnvironmentVariable("LISTEN_FDNAMES");
        foreach (string name in new[] { "LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES" })
            Environment.SetEnvironmentVariable(name, null);
        return new SocketActivation(Parse(pid, count, names, Environment.ProcessId));
    }

    /// <summary>The fds and names the variables describe for process <paramref name="self"/>; none when they are for another process.</summary>
    public static IReadOnlyList<(int Fd, string Name)> Parse(string? pid, string? count, string? names, int self)
    {
        if (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int listenPid) || listenPid != self
            || !int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n <= 0)
            return [];
        string[] split = names?.Split(':') ?? [];
        // systemd names an unnamed fd "unknown" (sd_listen_fds_with_names).
        return [.. Enumerable.Range(0, n).Select(i => (FirstFd + i, i < split.Length && split[i].Length > 0 ? split[i] : "unknown"))];
    }

    /// <summary>
    /// The fds that <c>fd://SELECTOR</c> means, as dockerd: empty or <c>*</c> for all, a number for that fd, else a
    /// FileDescriptorName=. Throws <see cref="FormatException"/> when none match.
    /// </summary>
    public IReadOnlyList<int> Select(string selector)
    {
        if (Fds.Count == 0)
            throw new FormatException($"fd://{selector}: berthd was not socket-activated (no LISTEN_FDS for its pid)");
        List<int> chosen = selector is "" or "*" ? [.. Fds.Select(f => f.Fd)]
            : int.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out int fd) ? [.. Fds.Where(f => f.Fd == fd).Select(f => f.Fd)]
            : [.. Fds.Where(f => f.Name == selector).Select(f => f.Fd)];
        if (chosen.Count == 0)
            throw new FormatException($"fd://{selector}: no socket of that name or number among the {Fds.Count} systemd passed ({string.Join(", ", Fds.Select(f => f.Name))})");
        return chosen;
    }

    /// <summary>The passed fd as a listening socket (it stays close-on-exec: containers never inherit it).</summary>
    public static Socket Open(int fd)
    {
        Berth.Interop.Sys.SetCloseOnExec(fd);
        return new Socket(new SafeSocketHandle(fd, ownsHandle: true));
    }
}
