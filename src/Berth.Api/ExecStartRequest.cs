namespace Berth.Api;

/// <summary>The body of <c>POST /exec/{id}/start</c>: <c>{"Detach":false,"Tty":false}</c>, with <c>ConsoleSize</c> for -t.</summary>
public sealed class ExecStartRequest
{
    /// <summary>True for <c>docker exec -d</c>: a plain 200, no hijack.</summary>
    public bool Detach { get; set; }

    public bool Tty { get; set; }

    public List<int>? ConsoleSize { get; set; }
}
