using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Streams;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth run</c>, request for request as docker/cli's runContainer: create (pulling on 404), attach on a
/// second connection unless -d, POST /wait (next-exit, or removed with --rm) whose headers arrive before
/// POST /start goes out on a third connection, then the output until the daemon closes the stream, and the
/// exit code from the wait. Signals are forwarded to the container while it runs. With -t the container's TTY is
/// sized from the local terminal right after start and on every SIGWINCH; with -it the local terminal is raw for the
/// session, and the detach keys (Ctrl-P Ctrl-Q) leave the container running and end berth with 0.
/// </summary>
public sealed class RunCommand : Verb, IContainerVerb
{
    private readonly ContainerFlags _flags = new("run");
    private readonly Option<bool> _detach = Flags.Bool("--detach", "-d", "Run container in background and print container ID");
    private readonly Option<string> _detachKeys = Flags.String("--detach-keys", null, "Override the key sequence for detaching a container");
    private readonly Option<bool> _sigProxy = new("--sig-proxy") { Description = "Proxy received signals to the process", DefaultValueFactory = _ => true };

    public RunCommand() : base("run", "run [OPTIONS] IMAGE [COMMAND] [ARG...]", "Create and run a new container from an image", ArgsRule.AtLeast(1))
    {
    }

    ContainerFlags IContainerVerb.ContainerFlags => _flags;

    public override bool Interspersed => false;

    public override bool ShortHelp => false;

    protected override void AddOptions(Command command)
    {
        command.Options.Add(_detach);
        command.Options.Add(_detachKeys);
        command.Options.Add(_sigProxy);
        _flags.AddTo(command);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var console = context.Console;
        var request = _flags.Build(parse, Positionals(parse), context.Environment, console.TerminalSize());
        bool detach = parse.GetValue(_detach);
        if (detach)
        {
            request.AttachStdin = request.AttachStdout = request.AttachStderr = false;
            request.StdinOnce = false;
        }
        else if (request.Tty && request.AttachStdin && !console.StdinIsTerminal)
        {
            throw new CliException(1, "the input device is not a TTY");
        }

        DaemonClient client;
        string id;
        try
        {
            client = await context.ConnectAsync(cancellationToken);
            id = await ContainerCreator.CreateAsync(client, request, _flags.Name(parse), console, cancellationToken);
        }
        catch (Exception e) when (e is DaemonErrorException or DaemonUnavailableException or IOException or CliException or Output.JsonMessageException)
        {
            throw StatusError(e);
        }

        using var proxy = parse.GetValue(_sigProxy) ? context.Signals.Proxy(signal => ForwardSignal(client, id, signal)) : null;
        bool autoRemove = request.HostConfig!.AutoRemove;
        string condition = autoRemove ? "removed" : "next-exit";
        // The daemon's answers are awaited without the cancellation token: signals go to the container instead.
        var uncancelled = CancellationToken.None;

        if (detach)
        {
            await console.Out.WriteLineAsync(id);
            // docker sends the wait and abandons it: only its headers are awaited, so that start follows on a second connection.
            _ = await ContainerWaiter.BeginAsync(client, id, condition, console, uncancelled);
            await StartAsync(client, id, uncancelled);
            return 0;
        }

        string? detachKeys = parse.GetValue(_detachKeys) is { Length: > 0 } keys ? keys : null;
        var attach = await AttachAsync(client, id, request, detachKeys, uncancelled);
        var io = HijackedIo.Start(attach, request.AttachStdin ? console.StdinStream : null, console.StdoutStream,
            request.Tty ? console.StdoutStream : console.StderrStream, request.Tty, detachKeys, console.EnterRawMode);
        TtyResizer? resizer = null;
        try
        {
            var status = await ContainerWaiter.BeginAsync(client, id, condition, console, uncancelled);
            try
            {
                await StartAsync(client, id, uncancelled);
            }
            catch (CliException)
            {
                await io.StopAsync();
                if (autoRemove)
                    await status;
                throw;
            }
            if (request.Tty && console.StdoutIsTerminal)
                resizer = await TtyResizer.StartAsync(client, $"/containers/{id}", console);
            return await AttachedRun.FinishAsync(io, status, request.AttachStdout || request.AttachStderr);
        }
        finally
        {
            resizer?.Dispose();
            io.Close();
        }
    }

    /// <summary>POST /containers/{id}/attach?stream=1 with the streams the container attaches, hijacked on a fresh connection.</summary>
    internal static async Task<Berth.Http.HijackedStream> AttachAsync(DaemonClient client, string id, ContainerConfig config, string? detachKeys,
        CancellationToken cancellationToken)
    {
        var query = new QueryString().Set("stream", "1").Flag("stdin", config.AttachStdin)
            .Flag("stdout", config.AttachStdout).Flag("stderr", config.AttachStderr);
        if (detachKeys is not null)
            query.Set("detachKeys", detachKeys);
        try
        {
            return await client.HijackAsync($"/containers/{id}/attach{query}", cancellationToken);
        }
        catch (Berth.Http.ApiException e)
        {
            throw new CliException(1, e.Message);
        }
    }

    /// <summary>POST /containers/{id}/start; a failure is mapped to docker's exit codes (126, 127, 125).</summary>
    private static async Task StartAsync(DaemonClient client, string id, CancellationToken cancellationToken)
    {
        try
        {
            await client.PostAsync($"/containers/{id}/start", cancellationToken);
        }
        catch (Exception e) when (e is DaemonErrorException or DaemonUnavailableException or IOException)
        {
            throw StatusError(e);
        }
    }

    internal static void ForwardSignal(DaemonClient client, string id, string signal) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await client.PostAsync($"/containers/{id}/kill?signal={signal}", CancellationToken.None);
            }
            catch (Exception e) when (e is DaemonErrorException or DaemonUnavailableException or IOException)
            {
                // docker logs these at debug level only.
            }
        });

    /// <summary>
    /// docker/cli toStatusError: 127 when the command was not found, 126 when it could not be run, else 125,
    /// with the message as "berth: …" and a pointer to --help.
    /// </summary>
    public static CliException StatusError(Exception error)
    {
        string message = error.Message;
        int code = message.Contains("executable file not found") || message.Contains("no such file or directory")
                   || message.Contains("system cannot find the file specified")
            ? 127
            : message.Contains("permission denied") || message.Contains("is a directory")
                ? 126
                : 125;
        return new CliException(code, $"berth: {message}\n\nRun 'berth run --help' for more information", error);
    }
}
