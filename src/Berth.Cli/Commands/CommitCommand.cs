using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Http;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth commit [-a] [-c] [-m] [-p] CONTAINER [REPOSITORY[:TAG]]</c>: POST /commit, a new image from the
/// container's changes (paused meanwhile unless --pause=false); prints the image id, sha256:..., as docker.
/// </summary>
public sealed class CommitCommand : Verb
{
    private readonly Option<string> _author = Flags.String("--author", "-a", "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")");
    private readonly Option<string[]> _change = Flags.List("--change", "-c", "Apply Dockerfile instruction to the created image");
    private readonly Option<string> _message = Flags.String("--message", "-m", "Commit message");
    private readonly Option<bool> _pause = new("--pause", "-p") { Description = "Pause container during commit", DefaultValueFactory = _ => true };

    public CommitCommand() : base("commit", "commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]", "Create a new image from a container's changes", new ArgsRule(1, 2))
    {
    }

    protected override void AddOptions(Command command)
    {
        foreach (var option in new Option[] { _author, _change, _message, _pause })
            command.Options.Add(option);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var names = Positionals(parse);
        string repository = "", tag = "";
        if (names.Length > 1)
            (repository, tag) = RepositoryAndTag(names[1]);
        var query = new QueryString().Set("container", names[0]).Set("repo", repository).Set("tag", tag)
            .Set("comment", parse.GetValue(_message) ?? "").Set("author", parse.GetValue(_author) ?? "");
        foreach (string change in parse.GetValue(_change) ?? [])
            query.Add("changes", change);
        if (!parse.GetValue(_pause))
            query.Set("pause", "0");
        var client = await context.ConnectAsync(cancellationToken);
        var response = await client.SendJsonAsync(new HttpClientRequest("POST", client.Versioned("/commit" + query)), ApiJsonContext.Default.IdResponse, cancellationToken);
        await context.Console.Out.WriteAsync(response.Id + "\n");
        return 0;
    }

    /// <summary>docker's client: the full repository name and the tag ("latest" when none); a digest is refused.</summary>
    internal static (string Repository, string Tag) RepositoryAndTag(string text)
    {
        if (!CliReference.TryParse(text, out var reference, out string? error))
            throw new CliException(1, error ?? "invalid reference format");
        if (reference.Digest is not null)
            throw new CliException(1, "refusing to create a tag with a digest reference");
        return (reference.Name, reference.Tag ?? "latest");
    }
}
