using System.CommandLine;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]</c>: POST /images/{source}/tag?repo=&amp;tag=, the target
/// fully named (docker.io/library/…) and given ":latest" when it has no tag, as docker's client does. A digest target is refused.
/// </summary>
public sealed class TagCommand : Verb
{
    public TagCommand() : base("tag", "tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", ArgsRule.Exactly(2))
    {
    }

    protected override void AddOptions(Command command)
    {
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var names = Positionals(parse);
        string path = TagPath(names[0], names[1]);
        var client = await context.ConnectAsync(cancellationToken);
        await client.PostAsync(path, cancellationToken);
        return 0;
    }

    /// <summary>The request path docker's ImageTag builds; a bad reference is the client's error, exit 1.</summary>
    internal static string TagPath(string source, string target)
    {
        // The source may be any reference or an image ID: the daemon resolves it and answers "No such image".
        if (!CliReference.TryParse(target, out var reference, out string? error))
            throw new CliException(1, $"error parsing reference: \"{target}\" is not a valid repository/tag: {error}");
        if (reference.Digest is not null)
            throw new CliException(1, "refusing to create a tag with a digest reference");
        reference = reference.WithDefaultTag();
        var query = new QueryString().Set("repo", reference.Name).Set("tag", reference.Tag!);
        return $"/images/{QueryString.EscapePath(source)}/tag{query}";
    }
}
