using System.Text;
using Berth.Cli.Output;

namespace Berth.Cli.Api.Wire;

/// <summary>
/// The body of <c>POST /containers/{id}/exec</c> as the docker CLI sends it (moby api/types/container ExecOptions):
/// every field, in Go's field order, <c>ConsoleSize</c> only with a TTY, written by <see cref="ToJson"/> byte for
/// byte as Go's encoder writes it.
/// </summary>
public sealed class ExecOptions
{
    public string User { get; set; } = "";

    public bool Privileged { get; set; }

    public bool Tty { get; set; }

    /// <summary>[rows, columns] of the local terminal, with -t.</summary>
    public int[]? ConsoleSize { get; set; }

    public bool AttachStdin { get; set; }

    public bool AttachStderr { get; set; }

    public bool AttachStdout { get; set; }

    public bool Detach { get; set; }

    public string DetachKeys { get; set; } = "";

    public List<string>? Env { get; set; }

    public string WorkingDir { get; set; } = "";

    public List<string>? Cmd { get; set; }

    public string ToJson()
    {
        var json = new StringBuilder("{\"User\":");
        GoJson.AppendString(json, User);
        json.Append(",\"Privileged\":").Append(Bool(Privileged)).Append(",\"Tty\":").Append(Bool(Tty));
        if (ConsoleSize is { } size)
            json.Append(",\"ConsoleSize\":[").AppendJoin(',', size).Append(']');
        json.Append(",\"AttachStdin\":").Append(Bool(AttachStdin)).Append(",\"AttachStderr\":").Append(Bool(AttachStderr))
            .Append(",\"AttachStdout\":").Append(Bool(AttachStdout)).Append(",\"Detach\":").Append(Bool(Detach)).Append(",\"DetachKeys\":");
        GoJson.AppendString(json, DetachKeys);
        AppendList(json.Append(",\"Env\":"), Env);
        GoJson.AppendString(json.Append(",\"WorkingDir\":"), WorkingDir);
        AppendList(json.Append(",\"Cmd\":"), Cmd);
        return json.Append('}').ToString();
    }

    internal static string Bool(bool value) => value ? "true" : "false";

    private static void AppendList(StringBuilder json, List<string>? values)
    {
        if (values is null)
        {
            json.Append("null");
            return;
        }
        json.Append('[');
        for (int i = 0; i < values.Count; i++)
        {
            if (i > 0)
                json.Append(',');
            GoJson.AppendString(json, values[i]);
        }
        json.Append(']');
    }
}
