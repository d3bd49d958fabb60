namespace Berth.Api;

/// <summary>
/// The body of <c>POST /containers/{id}/exec</c> (swagger <c>ExecConfig</c>). The docker CLI sends every field:
/// <c>{"AttachStderr":true,"AttachStdin":false,"AttachStdout":true,"Cmd":["echo","hi"],"Detach":false,"DetachKeys":"",
/// "Env":null,"Privileged":false,"Tty":false,"User":"","WorkingDir":""}</c>, plus <c>ConsoleSize</c> with -t.
/// </summary>
public sealed class ExecCreateRequest
{
    public bool AttachStdin { get; set; }

    public bool AttachStdout { get; set; }

    public bool AttachStderr { get; set; }

    /// <summary>[rows, columns] of the initial terminal.</summary>
    public List<int>? ConsoleSize { get; set; }

    public string? DetachKeys { get; set; }

    public bool Tty { get; set; }

    public List<string>? Env { get; set; }

    public List<string>? Cmd { get; set; }

    public bool Privileged { get; set; }

    public string? User { get; set; }

    public string? WorkingDir { get; set; }

    /// <summary>Sent by the CLI, ignored by the daemon (the start request decides).</summary>
    public bool Detach { get; set; }
}
