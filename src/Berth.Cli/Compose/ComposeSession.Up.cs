using System.Collections.Concurrent;
using System.Globalization;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Compose;
using Berth.Http;

namespace Berth.Cli.Compose;

/// <summary>up and down.</summary>
internal sealed partial class ComposeSession
{
    private static readonly Dictionary<string, string> UpValued = new(StringComparer.Ordinal) { ["--scale"] = "scale", ["-t"] = "timeout", ["--timeout"] = "timeout", ["--wait-timeout"] = "wait-timeout" };

    private static readonly Dictionary<string, string> UpBooleans = new(StringComparer.Ordinal)
    {
        ["-d"] = "detach", ["--detach"] = "detach", ["--build"] = "build", ["--no-build"] = "no-build", ["--force-recreate"] = "force-recreate",
        ["--no-recreate"] = "no-recreate", ["--wait"] = "wait", ["--remove-orphans"] = "remove-orphans", ["--no-start"] = "no-start",
        ["--no-deps"] = "no-deps", ["--quiet-pull"] = "quiet-pull", ["--no-color"] = "no-color", ["--pull"] = "pull",
    };

    private async Task<int> UpAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse("up", arguments, UpValued, UpBooleans);
        var scale = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string spec in args.Values("scale"))
        {
            string[] parts = spec.Split('=', 2);
            if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
                throw new FlagException($"invalid --scale value: {spec}");
            scale[parts[0]] = count;
        }
        var selected = Services(args.Positionals);
        if (!args.Bool("no-deps"))
            selected = WithDependencies(selected);
        var order = DependencyOrder.Sort(Project).Where(selected.Contains).ToList();
        var created = new List<string>();
        var createdNetworks = new List<string>();
        var createdVolumes = new List<string>();
        var imageIds = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            // Everything that can fail before a container exists is checked first: no half-started project.
            var built = new HashSet<string>(StringComparer.Ordinal);
            foreach (string service in order)
            {
                if (args.Bool("build") && ServiceBuild.Of(Project, service) is { } build)
                {
                    if (built.Add(build.Tags[0]))
                        await BuildServiceAsync(service, build, false, false, false, []);
                }
                else
                    await EnsureImageAsync(service, args.Bool("no-build"), built, cancellationToken);
                imageIds[service] = await ImageIdAsync(service, cancellationToken);
            }
            await EnsureNetworksAsync(order, createdNetworks, cancellationToken);
            await EnsureVolumesAsync(order, createdVolumes, cancellationToken);

            var existing = await ContainersAsync(true, cancellationToken);
            await OrphansAsync(existing, args.Bool("remove-orphans"), cancellationToken);
            var containerNames = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
            foreach (var container in existing)
                containerNames.TryAdd(ServiceOf(container), Name(container));
            var done = new Dictionary<string, Task>(StringComparer.Ordinal);
            var gate = new object();
            foreach (string service in order)
            {
                var dependencies = DependencyOrder.Dependencies(Project, Project.Services[service]).Where(done.ContainsKey).Select(d => (d, done[d])).ToList();
                done[service] = Task.Run(async () =>
                {
                    foreach (var (name, task) in dependencies)
                    {
                        await task;
                        await WaitForConditionAsync(service, name, containerNames, cancellationToken);
                    }
                    int replicas = scale.TryGetValue(service, out int n) ? n : Replicas(Project.Services[service]);
                    await ConvergeServiceAsync(service, replicas, imageIds[service], existing.Where(c => ServiceOf(c) == service).ToList(), args, containerNames, created, gate, cancellationToken);
                }, cancellationToken);
            }
            await Task.WhenAll(done.Values);
        }
        catch (Exception e) when (e is DaemonErrorException or CliException or ComposeFileException or IOException)
        {
            // Nothing of this run stays behind: what it created is removed, then the error is reported.
            foreach (string container in created)
                await TryAsync(Client.DeleteAsync($"/containers/{Escape(container)}?force=1&v=1", CancellationToken.None));
            foreach (string network in createdNetworks)
                await TryAsync(Client.DeleteAsync($"/networks/{Escape(network)}", CancellationToken.None));
            foreach (string volume in createdVolumes)
                await TryAsync(Client.DeleteAsync($"/volumes/{Escape(volume)}", CancellationToken.None));
            throw e is ComposeFileException file ? new CliException(1, file.Message) : e;
        }
        if (args.Bool("wait"))
            await WaitRunningAsync(order, cancellationToken);
        if (args.Bool("detach") || args.Bool("no-start") || args.Bool("wait"))
            return 0;
        // Attached: follow the logs of every container until interrupted, then stop the project as compose does.
        Console.Out.WriteLine("Attaching to " + string.Join(", ", (await ContainersAsync(true, cancellationToken)).Where(c => order.Contains(ServiceOf(c))).Select(Name)));
        try
        {
            await FollowLogsAsync((await ContainersAsync(true, cancellationToken)).Where(c => order.Contains(ServiceOf(c))).ToList(), true, "all", false, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        Console.Err.WriteLine("Gracefully stopping... (press Ctrl+C again to force)");
        await LifecycleAsync("stop", [.. order], CancellationToken.None);
        return 0;
    }

    private static async Task TryAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is DaemonErrorException or IOException)
        {
        }
    }

    private List<string> WithDependencies(List<string> services)
    {
        var result = new HashSet<string>(services, StringComparer.Ordinal);
        var queue = new Queue<string>(services);
        while (queue.TryDequeue(out string? service))
            foreach (string dependency in DependencyOrder.Dependencies(Project, Project.Services[service]))
                if (result.Add(dependency))
                    queue.Enqueue(dependency);
        return result.ToList();
    }

    private static int Replicas(MapNode service)
    {
        string? text = ((service["deploy"] as MapNode)?["replicas"] as ScalarNode)?.Value ?? (service["scale"] as ScalarNode)?.Value;
        return text is null ? 1 : int.Parse(text, CultureInfo.InvariantCulture);
    }

    /// <summary>A missing image is built when the service has build: (unless --no-build), else pulled.</summary>
    private async Task EnsureImageAsync(string service, bool noBuild, HashSet<string> built, CancellationToken cancellationToken)
    {
        string image = Planner.ImageName(service);
        if (await ExistsAsync($"/images/{Escape(image)}/json", cancellationToken))
            return;
        if (ServiceBuild.Of(Project, service) is { } build)
        {
            if (noBuild)
                throw new CliException(1, $"service \"{service}\": image {image} is missing and --no-build was given");
            if (built.Add(build.Tags[0]))
                await BuildServiceAsync(service, build, false, false, false, []);
            return;
        }
        Console.Err.WriteLine($" {service} Pulling");
        if (await BerthAsync("pull", "-q", image) != 0)
            throw new CliException(1, $"service \"{service}\": image {image} is not on this engine and could not be pulled");
    }

    private IEnumerable<string> NetworksOf(IEnumerable<string> services) =>
        services.SelectMany(s => Planner.Networks(s).Select(n => n.Network)).Distinct();

    private async Task EnsureNetworksAsync(List<string> services, List<string> created, CancellationToken cancellationToken)
    {
        foreach (string network in NetworksOf(services))
        {
            var node = Project.Networks.GetValueOrDefault(network);
            string name = Planner.NetworkName(network);
            if (await ExistsAsync($"/networks/{Escape(name)}", cancellationToken))
                continue;
            if ((node?["external"] as ScalarNode)?.Value is "true" or "True")
                throw new CliException(1, $"network {name} declared as external, but could not be found");
            var request = new NetworkCreateRequest
            {
                Name = name,
                Driver = (node?["driver"] as ScalarNode)?.Value ?? "bridge",
                Internal = (node?["internal"] as ScalarNode)?.Value is "true" or "True",
                Attachable = (node?["attachable"] as ScalarNode)?.Value is "true" or "True",
                EnableIPv6 = (node?["enable_ipv6"] as ScalarNode)?.Value is "true" or "True" ? true : null,
                Options = StringMap(node?["driver_opts"]),
                Labels = StringMap(node?["labels"]) ?? [],
                CheckDuplicate = true,
            };
            request.Labels[ComposeLabels.Network] = network;
            request.Labels[ComposeLabels.Project] = Project.Name;
            request.Labels[ComposeLabels.Version] = ComposeLabels.BerthComposeVersion;
            if ((node?["ipam"] as MapNode)?["config"] is ListNode configs)
                request.IPAM = new NetworkIpam
                {
                    Config = configs.Items.OfType<MapNode>().Select(c => new IpamConfig
                    {
                        Subnet = (c["subnet"] as ScalarNode)?.Value,
                        Gateway = (c["gateway"] as ScalarNode)?.Value,
                        IPRange = (c["ip_range"] as ScalarNode)?.Value,
                    }).ToList(),
                };
            await PostJsonAsync("/networks/create", request, ApiJsonContext.Default.NetworkCreateRequest, cancellationToken);
            created.Add(name);
            Status("Network", name, "Created");
        }
    }

    private async Task EnsureVolumesAsync(List<string> services, List<string> created, CancellationToken cancellationToken)
    {
        var volumes = services.SelectMany(s => ServiceVolumes.Parse(Project.Services[s]))
            .Where(v => v.Type == "volume" && v.Source is { Length: > 0 }).Select(v => v.Source!).Distinct();
        foreach (string volume in volumes)
        {
            var node = Project.Volumes[volume];
            string name = Planner.VolumeName(volume);
            if (await ExistsAsync($"/volumes/{Escape(name)}", cancellationToken))
                continue;
            if ((node["external"] as ScalarNode)?.Value is "true" or "True")
                throw new CliException(1, $"external volume \"{name}\" not found");
            var request = new VolumeCreateRequest
            {
                Name = name,
                Driver = (node["driver"] as ScalarNode)?.Value ?? "local",
                DriverOpts = StringMap(node["driver_opts"]),
                Labels = StringMap(node["labels"]) ?? [],
            };
            request.Labels[ComposeLabels.Volume] = volume;
            request.Labels[ComposeLabels.Project] = Project.Name;
            request.Labels[ComposeLabels.Version] = ComposeLabels.BerthComposeVersion;
            await PostJsonAsync("/volumes/create", request, ApiJsonContext.Default.VolumeCreateRequest, cancellationToken);
            created.Add(name);
            Status("Volume", $"\"{name}\"", "Created");
        }
    }

    private async Task OrphansAsync(List<ContainerSummary> existing, bool remove, CancellationToken cancellationToken)
    {
        var orphans = existing.Where(c => !Project.Services.ContainsKey(ServiceOf(c)) && !Project.DisabledServices.Contains(ServiceOf(c))).ToList();
        if (orphans.Count == 0)
            return;
        if (!remove)
        {
            Console.Err.WriteLine($"WARN[0000] Found orphan containers ([{string.Join(" ", orphans.Select(Name))}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.");
            return;
        }
        foreach (var orphan in orphans)
        {
            await Client.DeleteAsync($"/containers/{Escape(orphan.Id)}?force=1", cancellationToken);
            Status("Container", Name(orphan), "Removed");
        }
    }

    private async Task ConvergeServiceAsync(string service, int replicas, string imageId, List<ContainerSummary> existing, ComposeArgs args,
        ConcurrentDictionary<string, string> containerNames, List<string> created, object gate, CancellationToken cancellationToken)
    {
        string hash = Planner.ConfigHash(service);
        var node = Project.Services[service];
        if (node["container_name"] is not null && replicas > 1)
            throw new CliException(1, $"service \"{service}\": container_name and more than one replica cannot go together");
        foreach (var extra in existing.Where(c => Number(c) > replicas).OrderByDescending(Number))
        {
            await Client.PostAsync($"/containers/{Escape(extra.Id)}/stop", cancellationToken);
            await Client.DeleteAsync($"/containers/{Escape(extra.Id)}", cancellationToken);
            Status("Container", Name(extra), "Removed");
        }
        var tasks = new List<Task>();
        for (int number = 1; number <= replicas; number++)
        {
            var current = existing.FirstOrDefault(c => Number(c) == number);
            int n = number;
            tasks.Add(Task.Run(async () =>
            {
                if (current is not null)
                {
                    // As compose v2, a container is recreated when its config changed or its image did (a rebuild, a pull).
                    bool stale = current.Labels.GetValueOrDefault(ComposeLabels.ConfigHash) != hash || current.ImageID != imageId || args.Bool("force-recreate");
                    if (!stale || args.Bool("no-recreate"))
                    {
                        if (current.State != "running" && !args.Bool("no-start"))
                        {
                            await Client.PostAsync($"/containers/{Escape(current.Id)}/start", cancellationToken);
                            Status("Container", Name(current), "Started");
                        }
                        else
                        {
                            Status("Container", Name(current), "Running");
                        }
                        containerNames[service] = Name(current);
                        return;
                    }
                    Status("Container", Name(current), "Recreate");
                    await Client.PostAsync($"/containers/{Escape(current.Id)}/stop", cancellationToken);
                    await Client.DeleteAsync($"/containers/{Escape(current.Id)}", cancellationToken);
                }
                string name = (node["container_name"] as ScalarNode)?.Value ?? ContainerPlanner.ContainerName(Project, service, n);
                await CreateAndStartAsync(service, n, name, false, containerNames, created, gate, !args.Bool("no-start"), cancellationToken);
            }, cancellationToken));
        }
        await Task.WhenAll(tasks);
    }

    private async Task<string> CreateAndStartAsync(string service, int number, string name, bool oneOff, IReadOnlyDictionary<string, string> containerNames,
        List<string> created, object gate, bool start, CancellationToken cancellationToken, Action<ContainerCreateRequest>? adjust = null)
    {
        var request = Planner.Create(service, number, oneOff, containerNames);
        adjust?.Invoke(request);
        var message = HttpClientRequest.Json("POST", Client.Versioned("/containers/create" + new QueryString().Set("name", name)), request, ApiJsonContext.Default.ContainerCreateRequest);
        var response = await Client.SendJsonAsync(message, ApiJsonContext.Default.ContainerCreateResponse, cancellationToken);
        lock (gate)
            created.Add(response.Id);
        if (!oneOff && containerNames is ConcurrentDictionary<string, string> names)
            names.TryAdd(service, name);
        Status("Container", name, "Created");
        foreach (var (network, settings) in Planner.Networks(service).Skip(1))
            await PostJsonAsync($"/networks/{Escape(Planner.NetworkName(network))}/connect",
                new NetworkConnectRequest { Container = response.Id, EndpointConfig = Planner.Endpoint(service, settings, oneOff) }, ApiJsonContext.Default.NetworkConnectRequest, cancellationToken);
        if (start)
        {
            await Client.PostAsync($"/containers/{Escape(response.Id)}/start", cancellationToken);
            Status("Container", name, "Started");
        }
        return response.Id;
    }

    /// <summary>depends_on conditions: service_healthy waits for a healthy dependency, service_completed_successfully for its exit 0.</summary>
    private async Task WaitForConditionAsync(string service, string dependency, IReadOnlyDictionary<string, string> containerNames, CancellationToken cancellationToken)
    {
        string? condition = ((Project.Services[service]["depends_on"] as MapNode)?[dependency] as MapNode)?["condition"] is ScalarNode { Value: { } c } ? c : null;
        if (condition is null or "service_started" || !containerNames.TryGetValue(dependency, out string? container))
            return;
        while (true)
        {
            var inspect = await Client.GetJsonAsync($"/containers/{Escape(container)}/json", ApiJsonContext.Default.ContainerInspectResponse, cancellationToken);
            var state = inspect.State;
            if (condition == "service_healthy")
            {
                string health = HealthStatus(state) ?? "";
                if (health == "healthy")
                    return;
                if (health == "unhealthy" || state?.Running != true)
                    throw new CliException(1, $"dependency failed to start: container {container} is {(health.Length > 0 ? health : state?.Status)}");
                if (HealthStatus(state) is null)
                    throw new CliException(1, $"dependency {dependency} of {service} has no healthcheck: condition service_healthy cannot be met");
            }
            else if (condition == "service_completed_successfully" && state?.Running == false && state.Status is "exited" or "dead")
            {
                if (state.ExitCode != 0)
                    throw new CliException(1, $"service \"{dependency}\" didn't complete successfully: exit {state.ExitCode}");
                return;
            }
            await Task.Delay(200, cancellationToken);
        }
    }

    private async Task WaitRunningAsync(List<string> services, CancellationToken cancellationToken)
    {
        foreach (var container in (await ContainersAsync(true, cancellationToken)).Where(c => services.Contains(ServiceOf(c))))
        {
            while (true)
            {
                var state = (await Client.GetJsonAsync($"/containers/{Escape(container.Id)}/json", ApiJsonContext.Default.ContainerInspectResponse, cancellationToken)).State;
                if (state?.Running == true && HealthStatus(state) is null or "healthy")
                    break;
                if (state?.Running != true || HealthStatus(state) == "unhealthy")
                    throw new CliException(1, $"container {Name(container)} is {HealthStatus(state) ?? state?.Status}");
                await Task.Delay(200, cancellationToken);
            }
            Status("Container", Name(container), "Healthy");
        }
    }

    private static string? HealthStatus(ContainerState? state) => state?.Health is { Status.Length: > 0 } health ? health.Status : null;

    private static Dictionary<string, string>? StringMap(ComposeNode? node) => node is MapNode map
        ? map.Entries.ToDictionary(e => e.Key, e => (e.Value as ScalarNode)?.Value ?? "", StringComparer.Ordinal)
        : null;

    private static readonly Dictionary<string, string> DownValued = new(StringComparer.Ordinal) { ["-t"] = "timeout", ["--timeout"] = "timeout", ["--rmi"] = "rmi" };

    private static readonly Dictionary<string, string> DownBooleans = new(StringComparer.Ordinal) { ["-v"] = "volumes", ["--volumes"] = "volumes", ["--remove-orphans"] = "remove-orphans" };

    private async Task<int> DownAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var args = ComposeArgs.Parse("down", arguments, DownValued, DownBooleans);
        string timeout = args.Value("timeout") is { } t ? "?t=" + t : "";
        var containers = await ContainersAsync(true, cancellationToken, oneOff: true);
        var removable = containers.Where(c => args.Bool("remove-orphans") || Project.Services.ContainsKey(ServiceOf(c)) || Project.DisabledServices.Contains(ServiceOf(c))).ToList();
        var orphans = containers.Except(removable).ToList();
        if (orphans.Count > 0)
            Console.Err.WriteLine($"WARN[0000] Found orphan containers ([{string.Join(" ", orphans.Select(Name))}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.");
        await Task.WhenAll(removable.Select(async c =>
        {
            if (c.State is "running" or "paused" or "restarting")
            {
                await Client.PostAsync($"/containers/{Escape(c.Id)}/stop{timeout}", cancellationToken);
                Status("Container", Name(c), "Stopped");
            }
            await Client.DeleteAsync($"/containers/{Escape(c.Id)}?v={(args.Bool("volumes") ? "1" : "0")}&force=1", cancellationToken);
            Status("Container", Name(c), "Removed");
        }));
        var networks = Project.Networks.Keys.Append("default").Distinct()
            .Where(n => (Project.Networks.GetValueOrDefault(n)?["external"] as ScalarNode)?.Value is not ("true" or "True"))
            .Select(Planner.NetworkName);
        foreach (string network in networks)
        {
            if (!await ExistsAsync($"/networks/{Escape(network)}", cancellationToken))
                continue;
            await Client.DeleteAsync($"/networks/{Escape(network)}", cancellationToken);
            Status("Network", network, "Removed");
        }
        if (args.Bool("volumes"))
            foreach (var (volume, node) in Project.Volumes)
            {
                if ((node["external"] as ScalarNode)?.Value is "true" or "True")
                    continue;
                string name = Planner.VolumeName(volume);
                if (!await ExistsAsync($"/volumes/{Escape(name)}", cancellationToken))
                    continue;
                await Client.DeleteAsync($"/volumes/{Escape(name)}", cancellationToken);
                Status("Volume", name, "Removed");
            }
        if (args.Value("rmi") is { } rmi)
        {
            if (rmi is not ("all" or "local"))
                throw new FlagException($"invalid --rmi value {rmi}: all or local");
            foreach (string service in Project.Services.Keys)
            {
                if (rmi == "local" && Project.Services[service]["image"] is not null)
                    continue;
                string image = Planner.ImageName(service);
                if (await ExistsAsync($"/images/{Escape(image)}/json", cancellationToken))
                {
                    await TryAsync(Client.DeleteAsync($"/images/{Escape(image)}", cancellationToken));
                    Status("Image", image, "Removed");
                }
            }
        }
        return 0;
    }
}
