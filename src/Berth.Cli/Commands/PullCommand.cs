using System.CommandLine;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Cli.Output;
using Berth.Cli.Registry;
using Berth.Http;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth pull [-a] [-q] [--platform P] NAME[:TAG|@DIGEST]</c>: POST /images/create with the fully qualified name and the
/// stored credentials in X-Registry-Auth; Docker's progress bars on a terminal, plain lines otherwise; -q prints the reference.
/// With -a the tag is left empty, and berthd pulls every tag of the repository.
/// </summary>
public sealed class PullCommand : Verb
{
    private readonly Option<bool> _allTags = Flags.Bool("--all-tags", "-a", "Download all tagged images in the repository");
    private readonly Option<bool> _quiet = Flags.Bool("--quiet", "-q", "Suppress verbose output");
    private readonly Option<string> _platform = Flags.String("--platform", null, "Set platform if server is multi-platform capable");

    public PullCommand() : base("pull", "pull [OPTIONS] NAME[:TAG|@DIGEST]", "Download an image from a registry", ArgsRule.Exactly(1))
    {
    }

    protected override void AddOptions(Command command)
    {
        command.Options.Add(_allTags);
        command.Options.Add(_quiet);
        command.Options.Add(_platform);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        string text = Positionals(parse)[0];
        if (!CliReference.TryParse(text, out var reference, out string? error))
            throw new CliException(1, error ?? "invalid reference format");
        bool allTags = parse.GetValue(_allTags);
        if (allTags && (reference.Tag is not null || reference.Digest is not null))
            throw new CliException(1, "tag can't be used with --all-tags/-a");
        if (!allTags)
            reference = reference.WithDefaultTag();
        var query = new QueryString().Set("fromImage", reference.Name).Set("tag", allTags ? "" : CliReference.ApiTag(reference));
        if (parse.GetValue(_platform) is { Length: > 0 } platform)
            query.Set("platform", platform);
        var client = await context.ConnectAsync(cancellationToken);
        var request = new HttpClientRequest("POST", client.Versioned("/images/create" + query));
        request.Headers.Set("X-Registry-Auth", CredentialStore.FromEnvironment(context.Environment).HeaderFor(reference.Domain));
        using var response = await client.SendCheckedAsync(request, cancellationToken);
        bool quiet = parse.GetValue(_quiet);
        var console = context.Console;
        var output = quiet ? TextWriter.Null : console.Out;
        await new JsonMessageRenderer(output, !quiet && console.StdoutIsTerminal, console.TerminalSize().Width).RenderAsync(response.Body, cancellationToken);
        await console.Out.WriteLineAsync(allTags ? reference.Name : reference.ToString());
        return 0;
    }
}
