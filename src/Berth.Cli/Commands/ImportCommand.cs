using System.CommandLine;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Cli.Output;
using Berth.Http;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth import FILE|URL|- [REPOSITORY[:TAG]]</c>: POST /images/create?fromSrc=..., a filesystem tar (a file or
/// stdin, streamed as the body; or a URL the daemon fetches) as a one-layer image; prints the daemon's messages,
/// the new id sha256:... as docker.
/// </summary>
public sealed class ImportCommand : Verb
{
    private readonly Option<string[]> _change = Flags.List("--change", "-c", "Apply Dockerfile instruction to the created image");
    private readonly Option<string> _message = Flags.String("--message", "-m", "Set commit message for imported image");
    private readonly Option<string> _platform = Flags.String("--platform", null, "Set platform if server is multi-platform capable");

    public ImportCommand() : base("import", "import [OPTIONS] file|URL|- [REPOSITORY[:TAG]]", "Import the contents from a tarball to create a filesystem image", new ArgsRule(1, 2))
    {
    }

    protected override void AddOptions(Command command)
    {
        foreach (var option in new Option[] { _change, _message, _platform })
            command.Options.Add(option);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var args = Positionals(parse);
        string source = args[0];
        var query = new QueryString();
        if (args.Length > 1)
        {
            if (!CliReference.TryParse(args[1], out _, out string? error))
                throw new CliException(1, error ?? "invalid reference format");
            query.Set("repo", args[1]);
        }
        if (parse.GetValue(_message) is { Length: > 0 } message)
            query.Set("message", message);
        if (parse.GetValue(_platform) is { Length: > 0 } platform)
            query.Set("platform", platform.ToLowerInvariant());
        foreach (string change in parse.GetValue(_change) ?? [])
            query.Add("changes", change);

        Stream? body = null;
        bool url = source.StartsWith("http://", StringComparison.Ordinal) || source.StartsWith("https://", StringComparison.Ordinal);
        query.Set("fromSrc", url ? source : "-");
        if (source == "-")
            body = context.Console.StdinStream;
        else if (!url)
        {
            try
            {
                body = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new CliException(1, $"open {source}: no such file or directory");
            }
            catch (UnauthorizedAccessException)
            {
                throw new CliException(1, $"open {source}: permission denied");
            }
        }
        await using var owned = body;
        var client = await context.ConnectAsync(cancellationToken);
        var request = new HttpClientRequest("POST", client.Versioned("/images/create" + query)) { ContentStream = body };
        using var response = await client.SendCheckedAsync(request, cancellationToken);
        int width = context.Console.TerminalSize().Width;
        await new JsonMessageRenderer(context.Console.Out, context.Console.StdoutIsTerminal, width).RenderAsync(response.Body, cancellationToken);
        return 0;
    }
}
