namespace Berth.Engine.Containers;

/// <summary>A command to run in a running container (`docker exec`), with the names of Docker's exec config.</summary>
public sealed class ExecConfig
{
    public List<string> Cmd { get; set; } = [];

    public List<string>? Env { get; set; }

    /// <summary>`uid[:gid]` or a name; empty means the container's user.</summary>
    public string? User { get; set; }

    /// <summary>Empty means the container's working directory.</summary>
    public string? WorkingDir { get; set; }

    public bool Tty { get; set; }

    public bool AttachStdin { get; set; }

    public bool AttachStdout { get; set; }

    public bool AttachStderr { get; set; }

    public bool Privileged { get; set; }

    /// <summary>Initial terminal size as [rows, columns].</summary>
    public int[]? ConsoleSize { get; set; }

    /// <summary>The key sequence that detaches a client from a TTY exec (null: Ctrl-P Ctrl-Q).</summary>
    public byte[]? DetachKeys { get; set; }
}
