using System.Text;
using Berth.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Cli.Output;

/// <summary>
/// The standard streams of one berth run: raw streams for container output and stdin, UTF-8 text writers
/// for everything berth prints itself, and whether each is a terminal. Tests build one over memory streams.
/// </summary>
public sealed class CliConsole
{
    public CliConsole(Stream stdin, Stream stdout, Stream stderr, bool stdinIsTerminal, bool stdoutIsTerminal, bool stderrIsTerminal)
    {
        StdinStream = stdin;
        StdoutStream = stdout;
        StderrStream = stderr;
        StdinIsTerminal = stdinIsTerminal;
        StdoutIsTerminal = stdoutIsTerminal;
        StderrIsTerminal = stderrIsTerminal;
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        Out = new StreamWriter(stdout, utf8, 4096, leaveOpen: true) { AutoFlush = true, NewLine = "\n" };
        Err = new StreamWriter(stderr, utf8, 4096, leaveOpen: true) { AutoFlush = true, NewLine = "\n" };
    }

    public Stream StdinStream { get; }

    public Stream StdoutStream { get; }

    public Stream StderrStream { get; }

    public TextWriter Out { get; }

    public TextWriter Err { get; }

    public bool StdinIsTerminal { get; }

    public bool StdoutIsTerminal { get; }

    public bool StderrIsTerminal { get; }

    /// <summary>The terminal's rows and columns when stdout is one, else (0, 0), as the docker CLI fills ConsoleSize.</summary>
    public Func<(int Height, int Width)> TerminalSize { get; init; } = () => (0, 0);

    /// <summary>Puts stdin's terminal in raw mode until the result is disposed; null when stdin is not a terminal (or NORAW is set).</summary>
    public Func<Streams.RawTerminal?> EnterRawMode { get; init; } = () => null;

    /// <summary>
    /// The process's streams, as plain file descriptors: System.Console's streams are not used, because on a terminal
    /// its stdin edits lines itself and its writers switch the terminal into keypad mode. Stdout is written with
    /// write(2), so that <c>berth logs -f x | head -1</c> ends when the reader goes away, as docker does on SIGPIPE.
    /// </summary>
    public static CliConsole FromProcess() =>
        new(Open(0, FileAccess.Read), Open(1, FileAccess.Write), Open(2, FileAccess.Write),
            Sys.IsTerminal(0), Sys.IsTerminal(1), Sys.IsTerminal(2))
        {
            TerminalSize = () => Sys.TryGetWindowSize(1, out ushort rows, out ushort columns) && Sys.IsTerminal(1) ? (rows, columns) : (0, 0),
            EnterRawMode = () => Environment.GetEnvironmentVariable("NORAW") is { Length: > 0 } ? null : Streams.RawTerminal.Enter(0),
        };

    /// <summary>Whether <paramref name="error"/> is EPIPE: the reader of stdout is gone.</summary>
    public static bool IsBrokenPipe(Exception error) => error is IOException { HResult: 32 };

    /// <summary>A stream over an inherited descriptor; an empty one when the descriptor is not open.</summary>
    private static Stream Open(int fd, FileAccess access)
    {
        try
        {
            return new FileStream(new SafeFileHandle(fd, ownsHandle: false), access, 0);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return Stream.Null;
        }
    }
}
