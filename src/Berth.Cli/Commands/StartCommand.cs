using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Streams;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth start CONTAINER...</c>: POST /containers/{name}/start for each, printing the names. With <c>-a</c>
/// (one container): inspect, attach, wait (next-exit, or removed for an --rm container), start, stream the
/// output and exit with the container's code, forwarding signals as <c>run</c> does.
/// </summary>
public sealed class StartCommand : Verb
{
    private readonly Option<bool> _attach = Flags.Bool("--attach", "-a", "Attach STDOUT/STDERR and forward signals");
    private readonly Option<string> _detachKeys = Flags.String("--detach-keys", null, "Override the key sequence for detaching a container");
    private readonly Option<bool> _interactive = Flags.Bool("--interactive", "-i", "Attach container's STDIN");

    public StartCommand() : base("start", "start [OPTIONS] CONTAINER [CONTAINER...]", "Start one or more stopped containers", ArgsRule.AtLeast(1))
    {
    }

    protected override void AddOptions(Command command)
    {
        command.Options.Add(_attach);
        command.Options.Add(_detachKeys);
        command.Options.Add(_interactive);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var containers = Positionals(parse);
        var client = await context.ConnectAsync(cancellationToken);
        if (parse.GetValue(_attach) || parse.GetValue(_interactive))
        {
            if (containers.Length > 1)
                throw new CliException(1, "you cannot start and attach multiple containers at once");
            string? detachKeys = parse.GetValue(_detachKeys) is { Length: > 0 } keys ? keys : null;
            return await StartAttachedAsync(client, containers[0], parse.GetValue(_interactive), detachKeys, context, cancellationToken);
        }
        var failed = new List<string>();
        foreach (string name in containers)
        {
            try
            {
                await client.PostAsync($"/containers/{QueryString.EscapePath(name)}/start", cancellationToken);
                await context.Console.Out.WriteLineAsync(name);
            }
            catch (DaemonErrorException e)
            {
                await context.Console.Err.WriteLineAsync(e.Message);
                failed.Add(name);
            }
        }
        if (failed.Count > 0)
            throw new CliException(1, "Error: failed to start containers: " + string.Join(", ", failed));
        return 0;
    }

    private static async Task<int> StartAttachedAsync(DaemonClient client, string name, bool interactive, string? detachKeys, VerbContext context,
        CancellationToken cancellationToken)
    {
        var console = context.Console;
        var container = await client.GetJsonAsync($"/containers/{QueryString.EscapePath(name)}/json", ApiJsonContext.Default.ContainerInspectResponse, cancellationToken);
        string id = container.Id;
        using var proxy = container.Config.Tty ? null : context.Signals.Proxy(signal => RunCommand.ForwardSignal(client, id, signal));
        var uncancelled = CancellationToken.None;
        var streams = new ContainerConfig
        {
            AttachStdin = interactive && container.Config.OpenStdin,
            AttachStdout = true,
            AttachStderr = true,
        };
        var attach = await RunCommand.AttachAsync(client, id, streams, detachKeys, uncancelled);
        var io = HijackedIo.Start(attach, streams.AttachStdin ? console.StdinStream : null, console.StdoutStream, console.StderrStream,
            container.Config.Tty, detachKeys, console.EnterRawMode);
        TtyResizer? resizer = null;
        try
        {
            var status = await ContainerWaiter.BeginAsync(client, id, container.HostConfig.AutoRemove ? "removed" : "next-exit", console, uncancelled);
            try
            {
                await client.PostAsync($"/containers/{id}/start", uncancelled);
            }
            catch (DaemonErrorException)
            {
                await io.StopAsync();
                if (container.HostConfig.AutoRemove)
                    await status;
                throw;
            }
            if (container.Config.Tty && console.StdoutIsTerminal)
                resizer = await TtyResizer.StartAsync(client, $"/containers/{id}", console);
            return await AttachedRun.FinishAsync(io, status, outputAttached: true);
        }
        finally
        {
            resizer?.Dispose();
            io.Close();
        }
    }
}
