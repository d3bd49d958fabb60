namespace Berth.Cli.Api.Wire;

/// <summary>The body of <c>POST /exec/{id}/start</c> (moby ExecStartOptions): <c>{"Detach":false,"Tty":false}</c>, <c>ConsoleSize</c> with a TTY.</summary>
public sealed class ExecStartOptions
{
    public bool Detach { get; set; }

    public bool Tty { get; set; }

    public int[]? ConsoleSize { get; set; }

    public string ToJson() =>
        $"{{\"Detach\":{ExecOptions.Bool(Detach)},\"Tty\":{ExecOptions.Bool(Tty)}"
        + (ConsoleSize is { } size ? $",\"ConsoleSize\":[{string.Join(',', size)}]" : "") + "}";
}
