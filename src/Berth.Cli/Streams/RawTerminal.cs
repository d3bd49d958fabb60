using Berth.Interop;

namespace Berth.Cli.Streams;

/// <summary>
/// The local terminal in raw mode while an interactive TTY session runs (docker's In().SetRawTerminal: moby/term
/// MakeRaw, which is cfmakeraw): keys reach the container as typed, Ctrl-C included, and its output is shown as
/// written. The saved settings are put back exactly once, on every way out: when the session's output ends, when
/// the command finishes (Dispose; SIGINT and SIGTERM end a command through its cancellation token, so they pass
/// here too), when the process exits, and on an unhandled exception.
/// </summary>
public sealed class RawTerminal : IDisposable
{
    private readonly int _fd;
    private readonly TerminalSettings _saved;
    private int _restored;

    private RawTerminal(int fd, TerminalSettings saved)
    {
        _fd = fd;
        _saved = saved;
        AppDomain.CurrentDomain.ProcessExit += OnExit;
        AppDomain.CurrentDomain.UnhandledException += OnExit;
    }

    /// <summary>Whether the settings have been put back.</summary>
    public bool IsRestored => Volatile.Read(ref _restored) != 0;

    /// <summary>Raw mode on <paramref name="fd"/>; null when it is not a terminal.</summary>
    public static RawTerminal? Enter(int fd)
    {
        if (!Sys.IsTerminal(fd))
            return null;
        var saved = Sys.GetTerminalSettings(fd);
        var terminal = new RawTerminal(fd, saved);
        try
        {
            Sys.SetTerminalSettings(fd, saved.MakeRaw());
        }
        catch
        {
            terminal.Dispose();
            throw;
        }
        return terminal;
    }

    /// <summary>Puts the saved settings back (once; later calls do nothing).</summary>
    public void Restore()
    {
        if (Interlocked.Exchange(ref _restored, 1) != 0)
            return;
        try
        {
            Sys.SetTerminalSettings(_fd, _saved);
        }
        catch (SyscallException)
        {
            // The terminal is gone (hung up): nothing is left to restore.
        }
    }

    public void Dispose()
    {
        Restore();
        AppDomain.CurrentDomain.ProcessExit -= OnExit;
        AppDomain.CurrentDomain.UnhandledException -= OnExit;
    }

    private void OnExit(object? sender, EventArgs e) => Restore();
}
