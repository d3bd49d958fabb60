using System.CommandLine;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Cli.Streams;
using Berth.Http;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth load [-i FILE]</c>: streams the archive (a file or stdin) as a chunked
/// <c>POST /images/load?quiet=0|1</c> body (quiet when -q or stdout is not a terminal, as docker decides), shows
/// the upload on a terminal, then prints the daemon's JSON messages ("Loaded image: busybox:latest").
/// </summary>
public sealed class LoadCommand : Verb
{
    private readonly Option<string> _input = Flags.String("--input", "-i", "Read from tar archive file, instead of STDIN");
    private readonly Option<string> _platform = Flags.String("--platform", null, "Load only the given platform variant. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")");
    private readonly Option<bool> _quiet = Flags.Bool("--quiet", "-q", "Suppress the load output");

    public LoadCommand() : base("load", "load [OPTIONS]", "Load an image from a tar archive or STDIN", ArgsRule.None)
    {
    }

    protected override void AddOptions(Command command)
    {
        command.Options.Add(_input);
        command.Options.Add(_platform);
        command.Options.Add(_quiet);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var console = context.Console;
        string input = parse.GetValue(_input) ?? "";
        Stream archive;
        long? total = null;
        if (input.Length == 0)
        {
            if (console.StdinIsTerminal)
                throw new CliException(1, "requested load from stdin, but stdin is empty");
            archive = console.StdinStream;
        }
        else
        {
            try
            {
                archive = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
                total = archive.Length;
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new CliException(1, $"open {input}: no such file or directory");
            }
            catch (UnauthorizedAccessException)
            {
                throw new CliException(1, $"open {input}: permission denied");
            }
        }
        await using var _ = archive;

        bool quiet = parse.GetValue(_quiet) || !console.StdoutIsTerminal;
        var query = new QueryString().Set("quiet", quiet ? "1" : "0");
        if (parse.GetValue(_platform) is { Length: > 0 } platform)
            query.Set("platform", platform);

        var client = await context.ConnectAsync(cancellationToken);
        int width = console.TerminalSize().Width;
        var progress = new UploadProgress(console.Err, console.StderrIsTerminal, total, width);
        var request = new HttpClientRequest("POST", client.Versioned("/images/load" + query))
        {
            ContentStream = new ProgressReadStream(archive, progress.Report),
        };
        request.Headers.Set("Content-Type", "application/x-tar");
        HttpClientResponse response;
        try
        {
            response = await client.SendCheckedAsync(request, cancellationToken);
        }
        finally
        {
            progress.Finish();
        }
        using (response)
        {
            if (response.Headers.Get("Content-Type") == "application/json")
                await new JsonMessageRenderer(console.Out, console.StdoutIsTerminal, width).RenderAsync(response.Body, cancellationToken);
            else
                await response.Body.CopyToAsync(console.StdoutStream, cancellationToken);
        }
        return 0;
    }
}
