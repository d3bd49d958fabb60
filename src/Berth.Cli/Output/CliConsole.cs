using System.Text;
using Berth.Interop;

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
    /// The process's streams, as plain read(2) and write(2) on descriptors 0, 1 and 2 (<see cref="DescriptorStream"/>):
    /// System.Console's streams edit lines themselves on a terminal and switch it into keypad mode, and a FileStream
    /// keeps its own offset, so that output written into a file after another process's would overwrite it. A closed
    /// stdout ends berth on EPIPE (<c>berth logs -f x | head -1</c>), as docker ends on SIGPIPE.
    /// </summary>
    public static CliConsole FromProcess() =>
        new(new DescriptorStream(0, read: true), new DescriptorStream(1, read: false), new DescriptorStream(2, read: false),
            Sys.IsTerminal(0), Sys.IsTerminal(1), Sys.IsTerminal(2))
        {
            TerminalSize = () => Sys.TryGetWindowSize(1, out ushort rows, out ushort columns) && Sys.IsTerminal(1) ? (rows, columns) : (0, 0),
            EnterRawMode = () => Environment.GetEnvironmentVariable("NORAW") is { Length: > 0 } ? null : Streams.RawTerminal.Enter(0),
        };

    /// <summary>Whether <paramref name="error"/> is EPIPE: the reader of stdout is gone.</summary>
    public static bool IsBrokenPipe(Exception error) => error is IOException { HResult: 32 };
}
