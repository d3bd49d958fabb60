using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Http;

namespace Berth.Cli.Commands;

/// <summary><c>berth rmi [-f] IMAGE...</c>: DELETE /images/{name}; prints "Untagged: …" and "Deleted: …" as docker does.</summary>
public sealed class RmiCommand : Verb
{
    private readonly Option<bool> _force = Flags.Bool("--force", "-f", "Force removal of the image");
    private readonly Option<bool> _noPrune = Flags.Bool("--no-prune", null, "Do not delete untagged parents");

    public RmiCommand() : base("rmi", "rmi [OPTIONS] IMAGE [IMAGE...]", "Remove one or more images", ArgsRule.AtLeast(1))
    {
    }

    protected override void AddOptions(Command command)
    {
        command.Options.Add(_force);
        command.Options.Add(_noPrune);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        bool force = parse.GetValue(_force);
        var query = new QueryString().Flag("force", force).Flag("noprune", parse.GetValue(_noPrune));
        var client = await context.ConnectAsync(cancellationToken);
        var errors = new List<string>();
        bool fatal = false;
        foreach (string image in Positionals(parse))
        {
            try
            {
                var request = new HttpClientRequest("DELETE", client.Versioned($"/images/{QueryString.EscapePath(image)}{query}"));
                var deleted = await client.SendJsonAsync(request, ApiJsonContext.Default.ListImageDeleteResponseItem, cancellationToken);
                foreach (var item in deleted)
                    await context.Console.Out.WriteLineAsync(!string.IsNullOrEmpty(item.Deleted) ? "Deleted: " + item.Deleted : "Untagged: " + item.Untagged);
            }
            catch (Exception e) when (e is DaemonErrorException or IOException)
            {
                fatal |= e is not DaemonErrorException { IsNotFound: true };
                errors.Add(e.Message);
            }
        }
        if (errors.Count == 0)
            return 0;
        await context.Console.Err.WriteLineAsync(string.Join("\n", errors));
        return !force || fatal ? 1 : 0;
    }
}
