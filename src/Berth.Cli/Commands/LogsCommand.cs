using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Http;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth logs [-f] [-t] [--tail N] CONTAINER</c>: inspect for the full id and the TTY flag, then
/// GET /containers/{id}/logs, demultiplexed to stdout and stderr unless the container has a TTY.
/// </summary>
public sealed class LogsCommand : Verb
{
    private readonly Option<bool> _details = Flags.Bool("--details", null, "Show extra details provided to logs");
    private readonly Option<bool> _follow = Flags.Bool("--follow", "-f", "Follow log output");
    private readonly Option<string> _since = Flags.String("--since", null, "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)");
    private readonly Option<string> _tail = Flags.String("--tail", "-n", "Number of lines to show from the end of the logs");
    private readonly Option<bool> _timestamps = Flags.Bool("--timestamps", "-t", "Show timestamps");
    private readonly Option<string> _until = Flags.String("--until", null, "Show logs before a timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)");

    public LogsCommand() : base("logs", "logs [OPTIONS] CONTAINER", "Fetch the logs of a container", ArgsRule.Exactly(1))
    {
    }

    protected override void AddOptions(Command command)
    {
        foreach (var option in new Option[] { _details, _follow, _since, _tail, _timestamps, _until })
            command.Options.Add(option);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var client = await context.ConnectAsync(cancellationToken);
        string name = Positionals(parse)[0];
        var container = await client.GetJsonAsync($"/containers/{QueryString.EscapePath(name)}/json", ApiJsonContext.Default.ContainerInspectResponse, cancellationToken);

        var now = DateTimeOffset.UtcNow;
        var query = new QueryString().Set("stdout", "1").Set("stderr", "1")
            .Flag("timestamps", parse.GetValue(_timestamps)).Flag("details", parse.GetValue(_details)).Flag("follow", parse.GetValue(_follow))
            .Set("tail", parse.GetValue(_tail) ?? "all");
        if (parse.GetValue(_since) is { Length: > 0 } since)
            query.Set("since", Flags.Convert(_since, since, v => LogTimestamp.Convert(v, now)));
        if (parse.GetValue(_until) is { Length: > 0 } until)
            query.Set("until", Flags.Convert(_until, until, v => LogTimestamp.Convert(v, now)));

        using var response = await client.SendCheckedAsync(
            new HttpClientRequest("GET", client.Versioned($"/containers/{QueryString.EscapePath(container.Id)}/logs{query}")), cancellationToken);
        var console = context.Console;
        if (container.Config.Tty)
            await response.Body.CopyToAsync(console.StdoutStream, cancellationToken);
        else
            await StdCopy.DemultiplexAsync(response.Body, console.StdoutStream, console.StderrStream, cancellationToken);
        return 0;
    }
}
