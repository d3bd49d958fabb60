using System.CommandLine;
using Berth.Cli.Api;
using Berth.Cli.Commands;
using Berth.Cli.Output;

namespace Berth.Cli.CommandLine;

/// <summary>
/// berth's entry: global flags (-H), the verb, docker's flag and argument errors (exit 125 and 1), then the
/// verb itself; errors it throws are printed on stderr and mapped to docker's exit codes.
/// </summary>
public sealed class BerthApp
{
    private const string RootUseLine = "berth [OPTIONS] COMMAND [ARG...]";

    private readonly CliConsole _console;
    private readonly Func<string, string?> _environment;
    private readonly Command _root = new("berth", "A Docker-compatible container engine client");
    private readonly Option<string> _host = Flags.String("--host", "-H", "Daemon socket to connect to", "string");
    private readonly Option<bool> _help = Flags.Bool("--help", "-h", "Print usage");
    private readonly Option<bool> _version = Flags.Bool("--version", "-v", "Print version information and quit");
    private readonly Dictionary<string, Verb> _verbs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _groups;

    public BerthApp(CliConsole console, Func<string, string?> environment)
    {
        _console = console;
        _environment = environment;
        _root.Options.Add(_host);
        _root.Options.Add(_help);
        _root.Options.Add(_version);
        var groups = new Dictionary<string, Command>(StringComparer.Ordinal);
        foreach (var verb in CreateVerbs())
        {
            _verbs[verb.Name] = verb;
            int space = verb.Name.IndexOf(' ');
            if (space < 0)
            {
                _root.Subcommands.Add(verb.Command);
                continue;
            }
            // A command of a group ("volume create"): the group is a command of its own, the verb its subcommand.
            string group = verb.Name[..space];
            if (!groups.TryGetValue(group, out var groupCommand))
            {
                groups[group] = groupCommand = new Command(group);
                _root.Subcommands.Add(groupCommand);
            }
            groupCommand.Subcommands.Add(verb.Command);
            foreach (string alias in verb.Aliases)
                _verbs[group + " " + alias] = verb;
        }
        _groups = groups.Keys.ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlyCollection<Verb> Verbs => _verbs.Values.Distinct().ToList();

    public static IEnumerable<Verb> CreateVerbs() =>
    [
        new RunCommand(), new CreateCommand(), new StartCommand(), new PsCommand(), new StopCommand(), new KillCommand(),
        new RmCommand(), new LogsCommand(), new WaitCommand(), new InspectCommand(), new ImagesCommand(), new RmiCommand(),
        new LoadCommand(), new PullCommand(), new PushCommand(), new SearchCommand(), new LoginCommand(), new LogoutCommand(), new VersionCommand(), new InfoCommand(), new AttachCommand(), new ExecCommand(), new CpCommand(), new TopCommand(),
        new PauseCommand(), new UnpauseCommand(), new RestartCommand(), new UpdateCommand(), new RenameCommand(), new DiffCommand(), new PortCommand(), new ExportCommand(),
        new StatsCommand(), new EventsCommand(),
        new VolumeCreateCommand(), new VolumeLsCommand(), new VolumeInspectCommand(), new VolumeRmCommand(), new VolumePruneCommand(),
        new NetworkCreateCommand(), new NetworkLsCommand(), new NetworkInspectCommand(), new NetworkRmCommand(), new NetworkConnectCommand(), new NetworkDisconnectCommand(), new TagCommand(),
        new HistoryCommand(), new SaveCommand(), new ImportCommand(), new CommitCommand(), new SystemDfCommand(), new BuildCommand(),
        new ImagePruneCommand(), new ContainerPruneCommand(), new NetworkPruneCommand(), new SystemPruneCommand(),
        new Compose.ComposeCommand(),
    ];

    /// <summary>
    /// docker's management-command spellings of the top-level verbs ("image ls" is "images"): the command line is
    /// rewritten to the verb's own name before it is parsed, so every verb exists once.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Spellings = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["image ls"] = "images", ["image list"] = "images", ["image history"] = "history", ["image save"] = "save",
        ["image import"] = "import", ["image load"] = "load", ["image pull"] = "pull", ["image push"] = "push",
        ["image rm"] = "rmi", ["image remove"] = "rmi", ["image tag"] = "tag", ["image inspect"] = "inspect",
        ["container ls"] = "ps", ["container list"] = "ps", ["container ps"] = "ps", ["container run"] = "run",
        ["container create"] = "create", ["container start"] = "start", ["container stop"] = "stop", ["container kill"] = "kill",
        ["container rm"] = "rm", ["container remove"] = "rm", ["container logs"] = "logs", ["container wait"] = "wait",
        ["container inspect"] = "inspect", ["container attach"] = "attach", ["container exec"] = "exec", ["container cp"] = "cp",
        ["container top"] = "top", ["container pause"] = "pause", ["container unpause"] = "unpause", ["container restart"] = "restart",
        ["container rename"] = "rename", ["container diff"] = "diff", ["container port"] = "port", ["container export"] = "export",
        ["container stats"] = "stats", ["container commit"] = "commit",
        ["system info"] = "info", ["system events"] = "events",
        ["image build"] = "build",
    };

    /// <summary>Parses <paramref name="args"/>; null when it is a usage error, which is printed and counted in <paramref name="exitCode"/>.</summary>
    public ParseResult? Parse(string[] args, out Verb? verb, out int exitCode)
    {
        verb = null;
        exitCode = 0;
        var root = FlagScanner.Scan(args, 0, _root.Options, interspersed: false);
        if (root.Error is not null)
            return Fail(125, $"{root.Error}\n\nUsage:  {RootUseLine}\n\nRun 'berth --help' for more information", out exitCode);
        if (root.FlagsEnd >= args.Length || args[root.FlagsEnd] == "--")
        {
            var flags = _root.Parse(args[..root.FlagsEnd], ParserConfiguration);
            if (flags.GetValue(_version))
                _console.Out.WriteLine($"Berth version {ClientVersion.Version}, build {ClientVersion.GitCommit}");
            else
                _console.Out.Write(HelpWriter.ForRoot(Verbs, _root.Options));
            return null;
        }
        string name = args[root.FlagsEnd];
        int next = root.FlagsEnd + 1;
        if (_groups.Contains(name))
        {
            // `berth volume` alone (or with a flag first) shows the group's commands, as docker does.
            if (next >= args.Length || args[next].StartsWith('-'))
            {
                _console.Out.Write(HelpWriter.ForGroup(name, GroupCommands(name)));
                return null;
            }
            name += " " + args[next++];
            if (Spellings.TryGetValue(name, out string? verbName))
            {
                args = [.. args[..root.FlagsEnd], verbName, .. args[next..]];
                next = root.FlagsEnd + 1;
                name = verbName;
            }
        }
        if (!_verbs.TryGetValue(name, out verb))
            return Fail(1, $"berth: unknown command: berth {name}\n\nRun 'berth --help' for more information", out exitCode);
        var scan = FlagScanner.Scan(args, next, verb.Command.Options, verb.Interspersed);
        if (scan.Error is not null)
            return Fail(125, FlagError(verb, scan.Error), out exitCode);
        if (scan.HelpRequested)
        {
            _console.Out.Write(HelpWriter.ForVerb(verb));
            return null;
        }
        // A verb whose flags end at its first positional (run IMAGE CMD..., exec): everything from there on is the
        // container's command line, verbatim. System.CommandLine would unbundle "-ll" into "-l l" (seen with
        // `berth run busybox nc -ll`), so its end of options is made explicit.
        if (!verb.Interspersed && scan.FlagsEnd < args.Length && args[scan.FlagsEnd] != "--")
            args = [.. args[..scan.FlagsEnd], "--", .. args[scan.FlagsEnd..]];
        var parse = _root.Parse(args, ParserConfiguration);
        if (parse.Errors.Count > 0)
            return Fail(125, FlagError(verb, parse.Errors[0].Message), out exitCode);
        var positionals = parse.GetValue(verb.Arguments) ?? [];
        if (verb.Args.Check(positionals.Length, "berth " + verb.Name, verb.UseLine) is { } countError)
            return Fail(1, countError, out exitCode);
        return parse;
    }

    public async Task<int> RunAsync(string[] args, SignalHub signals)
    {
        var parse = Parse(args, out var verb, out int exitCode);
        if (parse is null || verb is null)
            return exitCode;
        await using var context = new VerbContext(_console, _environment, parse.GetValue(_host), signals);
        try
        {
            return await verb.ExecuteAsync(parse, context, signals.Token);
        }
        catch (OperationCanceledException) when (signals.TerminatedBy is int signal)
        {
            return 128 + signal;
        }
        catch (IOException e) when (CliConsole.IsBrokenPipe(e))
        {
            // docker dies of SIGPIPE when its reader goes away; berth ignores the signal, so it exits as if it had.
            return 141;
        }
        catch (FlagException e)
        {
            return Print(125, FlagError(verb, e.Message));
        }
        catch (CliException e)
        {
            return Print(e.ExitCode, e.Message);
        }
        catch (Exception e) when (e is DaemonErrorException or DaemonUnavailableException or IOException or InvalidDataException or JsonMessageException
                                      or Options.FlagValueException or UnauthorizedAccessException)
        {
            return Print(1, e.Message);
        }
    }

    /// <summary>A group's commands for its help: its own verbs and the spellings of top-level ones, by name.</summary>
    private IEnumerable<(string Name, string Description)> GroupCommands(string group)
    {
        string prefix = group + " ";
        var own = _verbs.Values.Where(v => v.Name.StartsWith(prefix, StringComparison.Ordinal)).Distinct().Select(v => (v.Name[prefix.Length..], v.Description));
        var spelled = Spellings.Where(s => s.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(s => (s.Key[prefix.Length..], _verbs[s.Value].Description));
        return own.Concat(spelled).OrderBy(c => c.Item1, StringComparer.Ordinal);
    }

    public static string FlagError(Verb verb, string error) =>
        $"{error}\n\nUsage:  {verb.UseLine}\n\nRun 'berth {verb.Name} --help' for more information";

    private static ParserConfiguration ParserConfiguration => new() { ResponseFileTokenReplacer = null };

    private ParseResult? Fail(int code, string message, out int exitCode)
    {
        exitCode = code;
        _console.Err.WriteLine(message);
        return null;
    }

    private int Print(int code, string message)
    {
        if (message.Length > 0)
            _console.Err.WriteLine(message);
        return code;
    }
}
