using System.CommandLine;
using System.Text;
using System.Text.Json;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Api.Wire;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Cli.Templates;
using Berth.Cli.Stats;
using Berth.Http;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth stats [-a] [--no-stream] [--no-trunc] [--format json] [CONTAINER...]</c>, as docker/cli RunStats: one
/// collector per container (GET /containers/{name}/stats?stream=0|1); without names the running (or, with -a, all)
/// containers from GET /containers/json, kept up to date by GET /events (start, die, create) which is opened first.
/// The table is drawn every 500 ms, redrawn in place while streaming; --no-stream draws it once.
/// </summary>
public sealed class StatsCommand : Verb
{
    private readonly Option<bool> _all = Flags.Bool("--all", "-a", "Show all containers (default shows just running)");
    private readonly Option<string> _format = Flags.String("--format", null, "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.");
    private readonly Option<bool> _noStream = Flags.Bool("--no-stream", null, "Disable streaming stats and only pull the first result");
    private readonly Option<bool> _noTrunc = Flags.Bool("--no-trunc", null, "Do not truncate output");

    public StatsCommand() : base("stats", "stats [OPTIONS] [CONTAINER...]", "Display a live stream of container(s) resource usage statistics", ArgsRule.AtLeast(0))
    {
    }

    protected override void AddOptions(Command command)
    {
        command.Options.Add(_all);
        command.Options.Add(_format);
        command.Options.Add(_noStream);
        command.Options.Add(_noTrunc);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        string format = parse.GetValue(_format) is { Length: > 0 } given && given != "table" ? given : StatsRow.TableFormat;
        TemplateFormat.Parse(format);
        bool all = parse.GetValue(_all);
        bool stream = !parse.GetValue(_noStream);
        bool truncate = !parse.GetValue(_noTrunc);
        var names = Positionals(parse);
        bool showAll = names.Length == 0;
        var client = await context.ConnectAsync(cancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var collectors = new List<StatsCollector>();
        var running = new List<Task>();
        void Add(string container)
        {
            StatsCollector collector;
            lock (collectors)
            {
                if (collectors.Any(c => c.Container == container))
                    return;
                collector = new StatsCollector(container);
                collectors.Add(collector);
            }
            lock (running)
                running.Add(collector.RunAsync(client, stream, stop.Token));
        }
        void Remove(string container)
        {
            lock (collectors)
                collectors.RemoveAll(c => c.Container == container);
        }

        Task<Exception?>? events = null;
        try
        {
            if (showAll)
            {
                var filters = new FilterArgs();
                filters.Add("type", "container");
                var response = await client.SendCheckedAsync(
                    new HttpClientRequest("GET", client.Versioned("/events" + new QueryString().Set("filters", filters.ToJson()))), cancellationToken);
                events = FollowEventsAsync(response, all, Add, Remove, stop.Token);
                var list = await client.GetJsonAsync("/containers/json" + new QueryString().Flag("all", all), ApiJsonContext.Default.ListContainerSummary, cancellationToken);
                foreach (var container in list)
                    Add(ShortId.Of(container.Id));
                await Task.WhenAll(Snapshot(collectors).Select(c => c.First));
            }
            else
            {
                foreach (string name in names)
                    Add(name);
                await Task.WhenAll(Snapshot(collectors).Select(c => c.First));
                var errors = Snapshot(collectors).Select(c => c.Error).OfType<Exception>().Select(e => e.Message).ToList();
                if (errors.Count > 0)
                    throw new CliException(1, string.Join("\n", errors));
            }

            using var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
            while (await ticker.WaitForNextTickAsync(cancellationToken))
            {
                var rows = Snapshot(collectors).Select(c => c.Row(truncate)).ToList();
                await context.Console.Out.WriteAsync(Render(rows, format, stream));
                if (rows.Count == 0 && !showAll)
                    break;
                if (!stream)
                    break;
                if (events is { IsCompleted: true } && await events is { } eventError)
                    throw new CliException(1, eventError.Message);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(Snapshot(running)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        return 0;
    }

    /// <summary>The text one tick prints: the table (or JSON lines); while streaming, homed and with every line erased to its end, as docker draws it.</summary>
    internal static string Render(IReadOnlyList<StatsRow> rows, string format, bool stream)
    {
        var text = new StringBuilder();
        if (stream)
            text.Append("\u001b[H");
        text.Append(TemplateFormat.Render(format, StatsRow.Placeholders, rows));
        if (stream)
        {
            // docker appends the lines again, each followed by " \e[K", to the same buffer, then "\e[J".
            foreach (string line in text.ToString().Split('\n'))
                text.Append(line).Append(" \u001b[K\n");
            text.Append("\u001b[J");
        }
        return text.ToString();
    }

    private static List<T> Snapshot<T>(List<T> list)
    {
        lock (list)
            return [.. list];
    }

    /// <summary>Adds a container when it starts (or, with -a, is created) and drops it when it dies (without -a); the error that ended the stream, if any.</summary>
    private static async Task<Exception?> FollowEventsAsync(HttpClientResponse response, bool all, Action<string> add, Action<string> remove, CancellationToken cancellationToken)
    {
        using (response)
        {
            try
            {
                using var lines = new StreamReader(response.Body);
                while (await lines.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (line.Trim().Length == 0)
                        continue;
                    var message = JsonSerializer.Deserialize(line, CliJsonContext.Default.EventMessage);
                    if (message is null || message.Actor.ID.Length < 12)
                        continue;
                    string id = message.Actor.ID[..12];
                    switch (message.Action)
                    {
                        case "start":
                        case "create" when all:
                            add(id);
                            break;
                        case "die" when !all:
                            remove(id);
                            break;
                    }
                }
                return null;
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                return e;
            }
        }
    }
}
