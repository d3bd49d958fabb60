using System.Text;
using Berth.Cli.Output;

namespace Berth.Cli.Tests.Unit;

/// <summary>A <see cref="CliConsole"/> over memory streams, with the text written to stdout and stderr.</summary>
internal sealed class MemoryConsole
{
    private readonly MemoryStream _stdout = new();
    private readonly MemoryStream _stderr = new();

    public MemoryConsole(string stdin = "", bool terminal = false)
    {
        Console = new CliConsole(new MemoryStream(Encoding.UTF8.GetBytes(stdin)), _stdout, _stderr, terminal, terminal, terminal);
    }

    public CliConsole Console { get; }

    public string Stdout => Encoding.UTF8.GetString(_stdout.ToArray());

    public string Stderr => Encoding.UTF8.GetString(_stderr.ToArray());
}
