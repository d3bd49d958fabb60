using System.Text;

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

    public static CliConsole FromProcess() =>
        new(Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.OpenStandardError(),
            !Console.IsInputRedirected, !Console.IsOutputRedirected, !Console.IsErrorRedirected)
        {
            TerminalSize = ProcessTerminalSize,
        };

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
