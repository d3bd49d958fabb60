using System.CommandLine;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Cli.Output;
using Berth.Cli.Registry;
using Berth.Http;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth push [-a] [-q] NAME[:TAG]</c>: POST /images/{name}/push?tag= with the stored credentials; Docker's progress
/// output. With -a the tag is left empty, and berthd pushes every local tag of the repository.
/// </summary>
public sealed class PushCommand : Verb
{
    private readonly Option<bool> _allTags = Flags.Bool("--all-tags", "-a", "Push all tags of an image to the repository");
    private readonly Option<bool> _quiet = Flags.Bool("--quiet", "-q", "Suppress verbose output");

    public PushCommand() : base("push", "push [OPTIONS] NAME[:TAG]", "Upload an image to a registry", ArgsRule.Exactly(1))
    {
    }

    protected override void AddOptions(Command command)
    {
        command.Options.Add(_allTags);
        command.Options.Add(_quiet);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        string text = Positionals(parse)[0];
        if (!CliReference.TryParse(text, out var reference, out string? error))
            throw new CliException(1, error ?? "invalid reference format");
        if (reference.Digest is not null)
            throw new CliException(1, "cannot push a digest reference");
        bool allTags = parse.GetValue(_allTags);
        if (allTags && reference.Tag is not null)
            throw new CliException(1, "tag can't be used with --all-tags/-a");
        if (!allTags)
            reference = reference.WithDefaultTag();
        var client = await context.ConnectAsync(cancellationToken);
        var query = new QueryString().Set("tag", reference.Tag ?? "");
        var request = new HttpClientRequest("POST", client.Versioned($"/images/{QueryString.EscapePath(reference.Name)}/push{query}"));
        request.Headers.Set("X-Registry-Auth", CredentialStore.FromEnvironment(context.Environment).HeaderFor(reference.Domain));
        using var response = await client.SendCheckedAsync(request, cancellationToken);
        bool quiet = parse.GetValue(_quiet);
        var console = context.Console;
        await new JsonMessageRenderer(quiet ? TextWriter.Null : console.Out, !quiet && console.StdoutIsTerminal, console.TerminalSize().Width).RenderAsync(response.Body, cancellationToken);
        if (quiet)
            await console.Out.WriteLineAsync(allTags ? reference.Name : reference.ToString());
        return 0;
    }
}
