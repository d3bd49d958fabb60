using System.CommandLine;
using System.Text.Json;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Commands;

/// <summary><c>berth diff CONTAINER</c>: GET /containers/{name}/changes, one "C /etc", "A /new" or "D /old" line per change.</summary>
public sealed class DiffCommand : Verb
{
    public DiffCommand() : base("diff", "diff CONTAINER", "Inspect changes to files or directories on a container's filesystem", ArgsRule.Exactly(1))
    {
    }

    protected override void AddOptions(Command command)
    {
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        string name = Positionals(parse)[0];
        if (name.Length == 0)
            throw new CliException(1, "Container name cannot be empty");
        var client = await context.ConnectAsync(cancellationToken);
        byte[] body = await client.GetBytesAsync($"/containers/{QueryString.EscapePath(name)}/changes", cancellationToken);
        await context.Console.Out.WriteAsync(string.Concat(Changes(body).Select(c => $"{KindLetter(c.Kind)} {c.Path}\n")));
        return 0;
    }

    /// <summary>The daemon's answer; dockerd answers <c>null</c> for a container without changes (a nil Go slice), docker prints nothing.</summary>
    internal static List<FilesystemChange> Changes(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, ApiJsonContext.Default.ListFilesystemChange) ?? [];
        }
        catch (JsonException e)
        {
            throw new CliException(1, "invalid answer from the daemon: " + e.Message);
        }
    }

    /// <summary>moby's ChangeType.String(): C, A, D; anything else as Go prints an unknown value.</summary>
    public static string KindLetter(int kind) => kind switch
    {
        0 => "C",
        1 => "A",
        2 => "D",
        _ => "",
    };
}
