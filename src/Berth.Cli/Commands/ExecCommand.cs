using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Api.Wire;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Cli.Streams;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth exec [-i] [-t] [-d] [-u USER] [-w DIR] [-e K=V] [--env-file F] [--privileged] CONTAINER COMMAND [ARG...]</c>,
/// request for request as docker/cli RunExec: inspect the container, POST /containers/{name}/exec, then
/// POST /exec/{id}/start — hijacked with its JSON body (the output streamed, stdin and a raw local terminal with -it,
/// the exec's TTY resized like run's), or plain with -d — and last GET /exec/{id}/json, whose ExitCode is berth's.
/// </summary>
public sealed class ExecCommand : Verb
{
    private readonly Option<bool> _detach = Flags.Bool("--detach", "-d", "Detached mode: run command in the background");
    private readonly Option<string> _detachKeys = Flags.String("--detach-keys", null, "Override the key sequence for detaching a container");
    private readonly Option<string[]> _env = Flags.List("--env", "-e", "Set environment variables");
    private readonly Option<string[]> _envFile = Flags.List("--env-file", null, "Read in a file of environment variables");
    private readonly Option<bool> _interactive = Flags.Bool("--interactive", "-i", "Keep STDIN open even if not attached");
    private readonly Option<bool> _privileged = Flags.Bool("--privileged", null, "Give extended privileges to the command");
    private readonly Option<bool> _tty = Flags.Bool("--tty", "-t", "Allocate a pseudo-TTY");
    private readonly Option<string> _user = Flags.String("--user", "-u", "Username or UID (format: \"<name|uid>[:<group|gid>]\")");
    private readonly Option<string> _workdir = Flags.String("--workdir", "-w", "Working directory inside the container");

    public ExecCommand() : base("exec", "exec [OPTIONS] CONTAINER COMMAND [ARG...]", "Execute a command in a running container", ArgsRule.AtLeast(2))
    {
    }

    public override bool Interspersed => false;

    protected override void AddOptions(Command command)
    {
        foreach (var option in new Option[] { _detach, _detachKeys, _env, _envFile, _interactive, _privileged, _tty, _user, _workdir })
            command.Options.Add(option);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var console = context.Console;
        var options = Build(parse, context.Environment);
        var args = Positionals(parse);
        string container = QueryString.EscapePath(args[0]);

        var client = await context.ConnectAsync(cancellationToken);
        await client.GetBytesAsync($"/containers/{container}/json", cancellationToken);
        if (!options.Detach && options.Tty && options.AttachStdin && !console.StdinIsTerminal)
            throw new CliException(1, "the input device is not a TTY");
        if (options.Tty)
        {
            var (height, width) = console.TerminalSize();
            options.ConsoleSize = [height, width];
        }
        var created = await client.SendJsonAsync(client.JsonRequest("POST", $"/containers/{container}/exec", options.ToJson()),
            ApiJsonContext.Default.IdResponse, cancellationToken);
        if (created.Id.Length == 0)
            throw new CliException(1, "exec ID empty");
        string exec = QueryString.EscapePath(created.Id);
        var start = new ExecStartOptions { Detach = options.Detach, Tty = options.Tty, ConsoleSize = options.ConsoleSize };
        if (options.Detach)
        {
            using var response = await client.SendCheckedAsync(client.JsonRequest("POST", $"/exec/{exec}/start", start.ToJson()), cancellationToken);
            await response.ReadAsBytesAsync(cancellationToken);
            return 0;
        }

        Berth.Http.HijackedStream connection;
        try
        {
            connection = await client.HijackJsonAsync($"/exec/{exec}/start", start.ToJson(), cancellationToken);
        }
        catch (Berth.Http.ApiException e)
        {
            throw new CliException(1, e.Message);
        }
        var io = HijackedIo.Start(connection, options.AttachStdin ? console.StdinStream : null, console.StdoutStream,
            options.Tty ? console.StdoutStream : console.StderrStream, options.Tty, options.DetachKeys, console.EnterRawMode);
        try
        {
            using var resizer = options.Tty && console.StdinIsTerminal ? await TtyResizer.StartAsync(client, $"/exec/{exec}", console) : null;
            await io.WaitAsync(cancellationToken);
        }
        finally
        {
            io.Close();
        }
        var inspect = await client.GetJsonAsync($"/exec/{exec}/json", ApiJsonContext.Default.ExecInspectResponse, CancellationToken.None);
        return inspect.ExitCode ?? 0;
    }

    /// <summary>The create body, as docker/cli parseExec fills it.</summary>
    internal ExecOptions Build(ParseResult parse, Func<string, string?> environment)
    {
        var env = (parse.GetValue(_env) ?? []).Select(e => Flags.Convert(_env, e, v => EnvVariables.Validate(v, environment))).ToList();
        List<string> variables;
        try
        {
            variables = EnvVariables.Collect(parse.GetValue(_envFile) ?? [], env, environment);
        }
        catch (FlagValueException e)
        {
            throw new CliException(1, e.Message);
        }
        bool detach = parse.GetValue(_detach);
        return new ExecOptions
        {
            User = parse.GetValue(_user) ?? "",
            Privileged = parse.GetValue(_privileged),
            Tty = parse.GetValue(_tty),
            Cmd = [.. Positionals(parse)[1..]],
            Detach = detach,
            WorkingDir = parse.GetValue(_workdir) ?? "",
            Env = variables.Count == 0 ? null : variables,
            AttachStdout = !detach,
            AttachStderr = !detach,
            AttachStdin = !detach && parse.GetValue(_interactive),
            DetachKeys = parse.GetValue(_detachKeys) ?? "",
        };
    }
}
