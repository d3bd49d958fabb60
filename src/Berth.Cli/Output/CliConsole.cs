using System.Text;
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

    /// <summary>
    /// The process's streams. Stdout is written with plain write(2) (Console's stream swallows EPIPE), so that
    /// <c>berth logs -f x | head -1</c> ends when the reader goes away, as docker does on SIGPIPE.
    /// </summary>
    public static CliConsole FromProcess() =>
        new(Console.OpenStandardInput(), new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, 0), Console.OpenStandardError(),
            !Console.IsInputRedirected, !Console.IsOutputRedirected, !Console.IsErrorRedirected)
        {
            TerminalSize = ProcessTerminalSize,
        };

    /// <summary>Whether <paramref name="error"/> is EPIPE: the reader of stdout is gone.</summary>
    public static bool IsBrokenPipe(Exception error) => error is IOException { HResult: 32 };

    private static (int Height, int Width) ProcessTerminalSize()
    {
        if (Console.IsOutputRedirected)
            return (0, 0);
        try
        {
            return (Console.WindowHeight, Console.WindowWidth);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }
}
