using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Streams;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth attach [--no-stdin] [--sig-proxy=false] [--detach-keys K] CONTAINER</c>, as docker/cli RunAttach: the wait
/// (POST /containers/{name}/wait) goes out first, then inspect (the container must be running), attach, inspect again,
/// and for a TTY a resize to one more row and column than the terminal and back (so that the program redraws). The
/// session runs like <c>run</c>'s; its end is followed by the container's exit code from the wait, or by "read escape
/// sequence" (exit 1) when the detach keys were typed.
/// </summary>
public sealed class AttachCommand : Verb
{
    private readonly Option<string> _detachKeys = Flags.String("--detach-keys", null, "Override the key sequence for detaching a container");
    private readonly Option<bool> _noStdin = Flags.Bool("--no-stdin", null, "Do not attach STDIN");
    private readonly Option<bool> _sigProxy = new("--sig-proxy") { Description = "Proxy all received signals to the process", DefaultValueFactory = _ => true };

    public AttachCommand() : base("attach", "attach [OPTIONS] CONTAINER", "Attach local standard input, output, and error streams to a running container", ArgsRule.Exactly(1))
    {
    }

    protected override void AddOptions(Command command)
    {
        command.Options.Add(_detachKeys);
        command.Options.Add(_noStdin);
        command.Options.Add(_sigProxy);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var console = context.Console;
        string name = QueryString.EscapePath(Positionals(parse)[0]);
        bool noStdin = parse.GetValue(_noStdin);
        string? detachKeys = parse.GetValue(_detachKeys) is { Length: > 0 } keys ? keys : null;
        var client = await context.ConnectAsync(cancellationToken);

        // docker sends the wait before anything else, so that an exit right after attaching is not missed.
        var status = await WaitAsync(client, name);
        var container = await InspectRunningAsync(client, name, cancellationToken);
        if (container.Config.Tty && !noStdin && !console.StdinIsTerminal)
            throw new CliException(1, "the input device is not a TTY");
        bool stdin = !noStdin && container.Config.OpenStdin;
        using var proxy = parse.GetValue(_sigProxy) && !container.Config.Tty
            ? context.Signals.Proxy(signal => RunCommand.ForwardSignal(client, container.Id, signal))
            : null;

        var query = new QueryString().Set("stream", "1").Flag("stdin", stdin).Set("stdout", "1").Set("stderr", "1");
        if (detachKeys is not null)
            query.Set("detachKeys", detachKeys);
        Berth.Http.HijackedStream connection;
        try
        {
            connection = await client.HijackAsync($"/containers/{name}/attach{query}", cancellationToken);
        }
        catch (Berth.Http.ApiException e)
        {
            throw new CliException(1, e.Message);
        }
        try
        {
            await InspectRunningAsync(client, name, cancellationToken);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        var io = HijackedIo.Start(connection, stdin ? console.StdinStream : null, console.StdoutStream, console.StderrStream,
            container.Config.Tty, detachKeys, console.EnterRawMode);
        try
        {
            using var resizer = container.Config.Tty && console.StdoutIsTerminal ? await ResizeAsync(client, name, console) : null;
            await io.WaitAsync(cancellationToken);
        }
        finally
        {
            io.Close();
        }
        return await status.WaitAsync(cancellationToken);
    }

    /// <summary>docker/cli resizeTTY: height+1 and width+1 once, then the real size with run's retries and SIGWINCH.</summary>
    private static async Task<TtyResizer> ResizeAsync(DaemonClient client, string name, Output.CliConsole console)
    {
        var (height, width) = console.TerminalSize();
        await TtyResizer.ResizeOnceAsync(client, $"/containers/{name}", height + 1, width + 1);
        return await TtyResizer.StartAsync(client, $"/containers/{name}", console);
    }

    /// <summary>POST /containers/{name}/wait without a condition; the task yields the exit code (1 and the message when the wait reports an error).</summary>
    private static async Task<Task<int>> WaitAsync(DaemonClient client, string name)
    {
        var response = await client.SendCheckedAsync(new Berth.Http.HttpClientRequest("POST", client.Versioned($"/containers/{name}/wait")), CancellationToken.None);
        return ReadStatusAsync(response);
    }

    private static async Task<int> ReadStatusAsync(Berth.Http.HttpClientResponse response)
    {
        using (response)
        {
            byte[] body = await response.ReadAsBytesAsync();
            ContainerWaitResponse? result;
            try
            {
                result = System.Text.Json.JsonSerializer.Deserialize(body, ApiJsonContext.Default.ContainerWaitResponse);
            }
            catch (System.Text.Json.JsonException)
            {
                throw new CliException(1, System.Text.Encoding.UTF8.GetString(body).Trim());
            }
            if (result?.Error is { Message.Length: > 0 } error)
                throw new CliException(1, error.Message);
            return (int)(result?.StatusCode ?? 0);
        }
    }

    /// <summary>docker/cli inspectContainerAndCheckState.</summary>
    private static async Task<ContainerInspectResponse> InspectRunningAsync(DaemonClient client, string name, CancellationToken cancellationToken)
    {
        var container = await client.GetJsonAsync($"/containers/{name}/json", ApiJsonContext.Default.ContainerInspectResponse, cancellationToken);
        if (!container.State.Running)
            throw new CliException(1, "You cannot attach to a stopped container, start it first");
        if (container.State.Paused)
            throw new CliException(1, "You cannot attach to a paused container, unpause it first");
        if (container.State.Restarting)
            throw new CliException(1, "You cannot attach to a restarting container, wait until it is running");
        return container;
    }
}
