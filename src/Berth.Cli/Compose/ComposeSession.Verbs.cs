using System.Globalization;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Compose;
using Berth.Http;

namespace Berth.Cli.Compose;

/// <summary>The verbs other than up and down.</summary>
internal sealed partial class ComposeSession
{
    private static readonly Dictionary<string, string> NoValues = new(StringComparer.Ordinal);

    private async Task<int> PsAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse("ps", arguments, new(StringComparer.Ordinal) { ["--format"] = "format", ["--status"] = "status", ["--filter"] = "filter" },
            new(StringComparer.Ordinal) { ["-a"] = "all", ["--all"] = "all", ["-q"] = "quiet", ["--quiet"] = "quiet", ["--services"] = "services" });
        var containers = await ServiceContainersAsync(args.Positionals, args.Bool("all"), cancellationToken);
        if (args.Values("status") is { Count: > 0 } statuses)
            containers = containers.Where(c => statuses.Contains(c.State)).ToList();
        if (args.Bool("services"))
        {
            foreach (string service in containers.Select(ServiceOf).Distinct())
                Console.Out.WriteLine(service);
            return 0;
        }
        if (args.Bool("quiet"))
        {
            foreach (var c in containers)
                Console.Out.WriteLine(c.Id);
            return 0;
        }
        var now = DateTimeOffset.UtcNow;
        var table = new TabWriter(0, 3).WriteRow("NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS");
        foreach (var c in containers)
        {
            var row = new ContainerRow(c, true, now);
            table.WriteRow(Name(c), c.Image, row.Command, ServiceOf(c), row.RunningFor, c.Status, row.Ports);
        }
        Console.Out.Write(table.ToString());
        return 0;
    }

    private async Task<int> LogsAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse("logs", arguments, new(StringComparer.Ordinal) { ["--tail"] = "tail", ["-n"] = "tail", ["--since"] = "since", ["--until"] = "until" },
            new(StringComparer.Ordinal) { ["-f"] = "follow", ["--follow"] = "follow", ["-t"] = "timestamps", ["--timestamps"] = "timestamps", ["--no-color"] = "no-color", ["--no-log-prefix"] = "no-prefix" });
        var containers = await ServiceContainersAsync(args.Positionals, true, cancellationToken);
        await FollowLogsAsync(containers, args.Bool("follow"), args.Value("tail") ?? "all", args.Bool("timestamps"), cancellationToken, !args.Bool("no-color") && Console.StdoutIsTerminal, !args.Bool("no-prefix"));
        return 0;
    }

    // compose's palette: the bright colours, then the normal ones, one per container in order.
    private static readonly string[] Colors = ["36", "33", "32", "35", "34", "96", "93", "92", "95", "94"];

    private async Task FollowLogsAsync(List<ContainerSummary> containers, bool follow, string tail, bool timestamps, CancellationToken cancellationToken, bool color = false, bool prefix = true)
    {
        int width = containers.Count == 0 ? 0 : containers.Max(c => Name(c).Length);
        var gate = new object();
        await Task.WhenAll(containers.Select(async (container, index) =>
        {
            string name = Name(container).PadRight(width);
            string label = !prefix ? "" : color ? $"\u001b[{Colors[index % Colors.Length]}m{name}  |\u001b[0m " : $"{name}  | ";
            var query = new QueryString().Set("stdout", "1").Set("stderr", "1").Flag("follow", follow).Flag("timestamps", timestamps).Set("tail", tail);
            var inspect = await Client.GetJsonAsync($"/containers/{Escape(container.Id)}/json", ApiJsonContext.Default.ContainerInspectResponse, cancellationToken);
            using var response = await Client.SendCheckedAsync(new HttpClientRequest("GET", Client.Versioned($"/containers/{Escape(container.Id)}/logs{query}")), cancellationToken);
            await using var stdout = new PrefixedLineStream(Console.StdoutStream, label, gate);
            await using var stderr = new PrefixedLineStream(Console.StderrStream, label, gate);
            if (inspect.Config?.Tty == true)
                await response.Body.CopyToAsync(stdout, cancellationToken);
            else
                await StdCopy.DemultiplexAsync(response.Body, stdout, stderr, cancellationToken);
            stdout.Flush();
            stderr.Flush();
        }));
    }

    private async Task<int> LifecycleAsync(string verb, string[] arguments, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse(verb, arguments, new(StringComparer.Ordinal) { ["-t"] = "timeout", ["--timeout"] = "timeout", ["-s"] = "signal", ["--signal"] = "signal" }, NoValues);
        bool all = verb is "start" or "restart" or "unpause";
        var containers = await ServiceContainersAsync(args.Positionals, all, cancellationToken);
        if (verb == "start")
        {
            // In dependency order, as compose starts them.
            var order = DependencyOrder.Sort(Project);
            containers = containers.OrderBy(c => order.IndexOf(ServiceOf(c))).ThenBy(Number).ToList();
            foreach (var c in containers.Where(c => c.State != "running"))
            {
                await Client.PostAsync($"/containers/{Escape(c.Id)}/start", cancellationToken);
                Status("Container", Name(c), "Started");
            }
            return 0;
        }
        string query = verb switch
        {
            "stop" or "restart" when args.Value("timeout") is { } t => "?t=" + t,
            "kill" when args.Value("signal") is { } s => "?signal=" + s,
            _ => "",
        };
        string done = verb switch { "stop" => "Stopped", "restart" => "Restarted", "pause" => "Paused", "unpause" => "Unpaused", _ => "Killed" };
        await Task.WhenAll(containers.Select(async c =>
        {
            await Client.PostAsync($"/containers/{Escape(c.Id)}/{verb}{query}", cancellationToken);
            Status("Container", Name(c), done);
        }));
        return 0;
    }

    private async Task<int> RmAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse("rm", arguments, NoValues, new(StringComparer.Ordinal) { ["-f"] = "force", ["--force"] = "force", ["-s"] = "stop", ["--stop"] = "stop", ["-v"] = "volumes", ["--volumes"] = "volumes" });
        var containers = await ServiceContainersAsync(args.Positionals, true, cancellationToken);
        if (args.Bool("stop"))
            await Task.WhenAll(containers.Where(c => c.State == "running").Select(c => Client.PostAsync($"/containers/{Escape(c.Id)}/stop", cancellationToken)));
        else
            containers = containers.Where(c => c.State != "running").ToList();
        if (containers.Count == 0)
        {
            Console.Err.WriteLine("No stopped containers");
            return 0;
        }
        if (!args.Bool("force"))
        {
            Console.Err.Write($"Going to remove {string.Join(", ", containers.Select(Name))}\n? Are you sure? [y/N] ");
            string? answer = await new StreamReader(Console.StdinStream).ReadLineAsync(cancellationToken);
            if (answer?.Trim().ToLowerInvariant() is not ("y" or "yes"))
                return 0;
        }
        foreach (var c in containers)
        {
            await Client.DeleteAsync($"/containers/{Escape(c.Id)}{(args.Bool("volumes") ? "?v=1" : "")}", cancellationToken);
            Status("Container", Name(c), "Removed");
        }
        return 0;
    }

    private static readonly Dictionary<string, string> ExecValued = new(StringComparer.Ordinal)
    {
        ["-e"] = "env", ["--env"] = "env", ["-u"] = "user", ["--user"] = "user", ["-w"] = "workdir", ["--workdir"] = "workdir", ["--index"] = "index",
    };

    private async Task<int> ExecAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse("exec", arguments, ExecValued,
            new(StringComparer.Ordinal) { ["-T"] = "no-tty", ["--no-TTY"] = "no-tty", ["-d"] = "detach", ["--detach"] = "detach", ["--privileged"] = "privileged", ["-i"] = "interactive", ["-t"] = "tty" }, interspersed: false);
        if (args.Positionals.Count < 2)
            throw new FlagException("\"berth compose exec\" requires at least 2 arguments: SERVICE COMMAND [ARGS...]");
        string service = args.Positionals[0];
        int index = args.Value("index") is { } i ? int.Parse(i, CultureInfo.InvariantCulture) : 1;
        var container = (await ServiceContainersAsync([service], false, cancellationToken)).FirstOrDefault(c => Number(c) == index)
                        ?? throw new CliException(1, $"service \"{service}\" is not running");
        var exec = new List<string> { "exec" };
        if (args.Bool("detach"))
            exec.Add("-d");
        else
            exec.Add("-i");
        if (!args.Bool("no-tty") && !args.Bool("detach") && Console.StdinIsTerminal)
            exec.Add("-t");
        if (args.Bool("privileged"))
            exec.Add("--privileged");
        foreach (string e in args.Values("env"))
            exec.AddRange(["-e", e]);
        if (args.Value("user") is { } user)
            exec.AddRange(["-u", user]);
        if (args.Value("workdir") is { } workdir)
            exec.AddRange(["-w", workdir]);
        exec.Add(Name(container));
        exec.AddRange(args.Positionals.Skip(1));
        return await BerthAsync([.. exec]);
    }

    private async Task<int> RunOneOffAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse("run", arguments,
            new(StringComparer.Ordinal) { ["-e"] = "env", ["--env"] = "env", ["-u"] = "user", ["--user"] = "user", ["-w"] = "workdir", ["--workdir"] = "workdir", ["--name"] = "name", ["--entrypoint"] = "entrypoint", ["-p"] = "publish", ["--publish"] = "publish", ["-l"] = "label", ["--label"] = "label" },
            new(StringComparer.Ordinal) { ["--rm"] = "rm", ["-d"] = "detach", ["--detach"] = "detach", ["-T"] = "no-tty", ["--no-TTY"] = "no-tty", ["--no-deps"] = "no-deps", ["--service-ports"] = "service-ports", ["-i"] = "interactive", ["--interactive"] = "interactive" },
            interspersed: false);
        if (args.Positionals.Count < 1)
            throw new FlagException("\"berth compose run\" requires at least 1 argument: SERVICE [COMMAND] [ARGS...]");
        string service = args.Positionals[0];
        Services([service]);
        if (!args.Bool("no-deps"))
        {
            var dependencies = WithDependencies([service]).Where(s => s != service).ToList();
            if (dependencies.Count > 0)
                await UpAsync(["-d", .. dependencies], cancellationToken);
        }
        await EnsureImageAsync(service, false, new HashSet<string>(StringComparer.Ordinal), cancellationToken);
        await EnsureNetworksAsync([service], [], cancellationToken);
        await EnsureVolumesAsync([service], [], cancellationToken);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in await ContainersAsync(false, cancellationToken))
            names.TryAdd(ServiceOf(c), Name(c));
        bool tty = !args.Bool("no-tty") && !args.Bool("detach") && Console.StdinIsTerminal;
        bool interactive = !args.Bool("detach");
        string name = args.Value("name") ?? ContainerPlanner.ContainerName(Project, service, 1, oneOff: true);
        string id = await CreateAndStartAsync(service, 1, name, true, names, [], new object(), start: false, cancellationToken, request =>
        {
            if (args.Positionals.Count > 1)
                request.Cmd = args.Positionals.Skip(1).ToList();
            if (args.Value("entrypoint") is { } entrypoint)
                request.Entrypoint = [entrypoint];
            request.Env = [.. request.Env ?? [], .. args.Values("env")];
            if (args.Value("user") is { } user)
                request.User = user;
            if (args.Value("workdir") is { } workdir)
                request.WorkingDir = workdir;
            foreach (string label in args.Values("label"))
                request.Labels![label.Split('=', 2)[0]] = label.Contains('=') ? label.Split('=', 2)[1] : "";
            request.Tty = tty;
            request.OpenStdin = interactive;
            request.StdinOnce = interactive;
            request.AttachStdin = interactive;
            request.AttachStdout = interactive;
            request.AttachStderr = interactive;
            if (!args.Bool("service-ports"))
                request.HostConfig!.PortBindings = null;
        });
        if (args.Bool("detach"))
        {
            await Client.PostAsync($"/containers/{Escape(id)}/start", cancellationToken);
            Console.Out.WriteLine(name);
            return 0;
        }
        int code = await BerthAsync("start", "-a", "-i", id);
        if (args.Bool("rm"))
            await TryAsync(Client.DeleteAsync($"/containers/{Escape(id)}?force=1&v=1", CancellationToken.None));
        return code;
    }

    private int Config(string[] arguments)
    {
        var args = ComposeArgs.Parse("config", arguments, new(StringComparer.Ordinal) { ["--format"] = "format" },
            new(StringComparer.Ordinal) { ["--services"] = "services", ["--volumes"] = "volumes", ["-q"] = "quiet", ["--quiet"] = "quiet", ["--profiles"] = "profiles" });
        if (args.Bool("quiet"))
        {
            _ = Project;
            return 0;
        }
        if (args.Bool("services"))
        {
            foreach (string service in Project.Services.Keys)
                Console.Out.WriteLine(service);
            return 0;
        }
        if (args.Bool("volumes"))
        {
            foreach (string volume in Project.Volumes.Keys)
                Console.Out.WriteLine(volume);
            return 0;
        }
        Console.Out.Write(args.Value("format") == "json" ? NodeText.Json(Project.Model, indented: true, sorted: false) + "\n" : NodeYaml.Write(Project.Model));
        return 0;
    }

    private async Task<int> TopAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse("top", arguments, NoValues, NoValues);
        int code = 0;
        foreach (var c in await ServiceContainersAsync(args.Positionals, false, cancellationToken))
        {
            Console.Out.WriteLine(Name(c));
            Console.Out.Flush();
            code |= await BerthAsync("top", c.Id);
            Console.Out.WriteLine();
        }
        return code;
    }

    private async Task<int> PortAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse("port", arguments, new(StringComparer.Ordinal) { ["--protocol"] = "protocol", ["--index"] = "index" }, NoValues);
        if (args.Positionals.Count != 2)
            throw new FlagException("\"berth compose port\" requires exactly 2 arguments: SERVICE PRIVATE_PORT");
        int index = args.Value("index") is { } i ? int.Parse(i, CultureInfo.InvariantCulture) : 1;
        var container = (await ServiceContainersAsync([args.Positionals[0]], false, cancellationToken)).FirstOrDefault(c => Number(c) == index)
                        ?? throw new CliException(1, $"service \"{args.Positionals[0]}\" is not running");
        var inspect = await Client.GetJsonAsync($"/containers/{Escape(container.Id)}/json", ApiJsonContext.Default.ContainerInspectResponse, cancellationToken);
        string key = args.Positionals[1] + "/" + (args.Value("protocol") ?? "tcp");
        var bindings = inspect.NetworkSettings?.Ports?.GetValueOrDefault(key);
        if (bindings is null || bindings.Count == 0)
            throw new CliException(1, $"no port {key} for container {Name(container)}");
        var first = bindings.FirstOrDefault(b => !b.HostIp.Contains(':')) ?? bindings[0];
        Console.Out.WriteLine($"{(first.HostIp.Contains(':') ? $"[{first.HostIp}]" : first.HostIp)}:{first.HostPort}");
        return 0;
    }

    private async Task<int> ImagesAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse("images", arguments, new(StringComparer.Ordinal) { ["--format"] = "format" }, new(StringComparer.Ordinal) { ["-q"] = "quiet", ["--quiet"] = "quiet" });
        var table = new TabWriter(0, 3).WriteRow("CONTAINER", "REPOSITORY", "TAG", "IMAGE ID", "SIZE");
        foreach (var c in await ServiceContainersAsync(args.Positionals, true, cancellationToken))
        {
            var image = await Client.GetJsonAsync($"/images/{Escape(c.ImageID)}/json", ApiJsonContext.Default.ImageInspect, cancellationToken);
            if (args.Bool("quiet"))
            {
                Console.Out.WriteLine(image.Id);
                continue;
            }
            string reference = c.Image;
            int colon = reference.LastIndexOf(':');
            bool tagged = colon > reference.LastIndexOf('/');
            table.WriteRow(Name(c), tagged ? reference[..colon] : reference, tagged ? reference[(colon + 1)..] : "latest",
                ShortId.Of(image.Id.Replace("sha256:", "")), HumanUnits.Size(image.Size));
        }
        if (!args.Bool("quiet"))
            Console.Out.Write(table.ToString());
        return 0;
    }

    private async Task<int> LsAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse("ls", arguments, new(StringComparer.Ordinal) { ["--format"] = "format", ["--filter"] = "filter" },
            new(StringComparer.Ordinal) { ["-a"] = "all", ["--all"] = "all", ["-q"] = "quiet", ["--quiet"] = "quiet" });
        var query = new QueryString().Flag("all", true).Filters(new FilterArgs().Add("label", ComposeLabels.Project));
        var containers = await Client.GetJsonAsync("/containers/json" + query, ApiJsonContext.Default.ListContainerSummary, cancellationToken);
        var table = new TabWriter(0, 3).WriteRow("NAME", "STATUS", "CONFIG FILES");
        foreach (var project in containers.GroupBy(c => c.Labels[ComposeLabels.Project]).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            bool anyRunning = project.Any(c => c.State == "running");
            if (!anyRunning && !args.Bool("all"))
                continue;
            if (args.Bool("quiet"))
            {
                Console.Out.WriteLine(project.Key);
                continue;
            }
            string status = string.Join(", ", project.GroupBy(c => c.State).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}({g.Count()})"));
            table.WriteRow(project.Key, status, project.First().Labels.GetValueOrDefault(ComposeLabels.ConfigFiles, ""));
        }
        if (!args.Bool("quiet"))
            Console.Out.Write(table.ToString());
        return 0;
    }

    private async Task<int> PullPushAsync(string verb, string[] arguments, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse(verb, arguments, NoValues, new(StringComparer.Ordinal) { ["-q"] = "quiet", ["--quiet"] = "quiet", ["--ignore-pull-failures"] = "ignore", ["--ignore-push-failures"] = "ignore" });
        int code = 0;
        foreach (string service in Services(args.Positionals))
        {
            if (verb == "pull" && Project.Services[service]["image"] is null)
                continue;
            int result = await BerthAsync(args.Bool("quiet") ? [verb, "-q", Planner.ImageName(service)] : [verb, Planner.ImageName(service)]);
            if (result != 0 && !args.Bool("ignore"))
                return result;
            code |= result;
        }
        await Task.CompletedTask.WaitAsync(cancellationToken);
        return 0;
    }
}
