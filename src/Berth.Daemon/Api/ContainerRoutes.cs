using Berth.Api;
using Berth.Engine.Containers;
using Berth.Engine.Processes;
using Berth.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Api;

/// <summary>Container lifecycle: create, list, inspect, start, stop, restart, kill, pause, rename, resize, top, remove and prune.</summary>
public sealed class ContainerRoutes(ApiServices services)
{
    private ContainerManager Containers => services.Engine.Containers;

    public void Map(Router router)
    {
        router.MapPost("/containers/create", CreateAsync);
        router.MapGet("/containers/json", ListAsync);
        router.MapPost("/containers/prune", PruneAsync);
        router.MapGet("/containers/{id}/json", InspectAsync);
        router.MapPost("/containers/{id}/start", StartAsync);
        router.MapPost("/containers/{id}/stop", StopAsync);
        router.MapPost("/containers/{id}/kill", KillAsync);
        router.MapDelete("/containers/{id}", RemoveAsync);
        router.MapPost("/containers/{id}/restart", RestartAsync);
        router.MapPost("/containers/{id}/pause", PauseAsync);
        router.MapPost("/containers/{id}/unpause", UnpauseAsync);
        router.MapPost("/containers/{id}/rename", RenameAsync);
        router.MapPost("/containers/{id}/update", UpdateAsync);
        router.MapPost("/containers/{id}/resize", ResizeAsync);
        router.MapGet("/containers/{id}/top", TopAsync);
    }

    private async Task CreateAsync(HttpContext context)
    {
        var request = await context.Request.ReadJsonAsync(ApiJsonContext.Default.ContainerCreateRequest, context.RequestAborted)
            ?? throw new ApiException(400, "config cannot be empty in order to create a container");
        var (config, hostConfig) = CreateRequestMapper.Map(request, services.Networks is not null);
        if (services.Networks is { } networks && hostConfig.NetworkMode is not ("default" or "none" or "host") && !hostConfig.NetworkMode.StartsWith("container:", StringComparison.Ordinal))
            ApiErrors.Run(() => networks.Get(hostConfig.NetworkMode));
        if (hostConfig.Links is { Count: > 0 } links && hostConfig.NetworkMode is "default" or "bridge")
            hostConfig.Links = [.. links.Select(ResolveLink)];
        string? name = context.Request.Query["name"] is { Length: > 0 } n ? n : null;
        var container = Containers.Create(name, config, hostConfig);
        services.Logger.LogInformation("Created container {Id} ({Name}) from {Image}", container.Id[..12], container.Name, config.Image);
        context.Response.StatusCode = 201;
        await context.Response.SendJsonAsync(new ContainerCreateResponse { Id = container.Id }, ApiJsonContext.Default.ContainerCreateResponse, context.RequestAborted);
    }

    /// <summary>
    /// A legacy link (default bridge) as moby's registerLinks checks it: the container must exist (a 400, not a 404,
    /// so the CLI does not report a missing image) and not be on the host's network; kept as "name:alias" with the
    /// linked container's own name.
    /// </summary>
    private string ResolveLink(string link)
    {
        string[] parts = link.Split(':');
        string target = parts[0].TrimStart('/');
        string alias = parts.Length > 1 ? parts[1].TrimStart('/') : target;
        Container child;
        try
        {
            child = Containers.Get(target);
        }
        catch (ContainerNotFoundException e)
        {
            throw new ApiException(400, $"could not get container for {target}: {e.Message}");
        }
        if (child.Record.HostConfig.NetworkMode is "host")
            throw new ApiException(400, "conflicting options: host type networking can't be used with links. This would result in undefined behavior");
        return child.Name.TrimStart('/') + ":" + alias;
    }

    private Task ListAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var filter = ContainerListFilter.Parse(query["filters"], services.Engine.Images);
        int limit = QueryValues.Int(context.Request, "limit") ?? -1;
        bool all = QueryValues.Bool(context.Request, "all") || filter.ImpliesAll || limit > 0;
        var now = DateTime.UtcNow;
        IEnumerable<Container> containers = Containers.List()
            .Where(c => all || c.State.Running)
            .Where(filter.Matches);
        if (limit > 0)
            containers = containers.Take(limit);
        bool size = QueryValues.Bool(context.Request, "size");
        var summaries = containers.Select(c =>
        {
            var summary = ContainerViews.Summary(c, now, services.Networks);
            if (size)
                summary.SizeRw = c.WritableLayerSize();
            return summary;
        }).ToList();
        return context.Response.SendJsonAsync(summaries, ApiJsonContext.Default.ListContainerSummary, context.RequestAborted);
    }

    private Task InspectAsync(HttpContext context)
    {
        var container = Containers.Get(context.RouteValue("id"));
        var inspect = ContainerViews.Inspect(container, services.Engine.Containers.StorageLayout(container), services.Networks);
        if (QueryValues.Bool(context.Request, "size"))
        {
            inspect.SizeRw = container.WritableLayerSize();
            inspect.SizeRootFs = inspect.SizeRw;
        }
        return context.Response.SendJsonAsync(inspect, ApiJsonContext.Default.ContainerInspectResponse, context.RequestAborted);
    }

    /// <summary>204, or 304 when already running. A failed start ends the attach streams waiting for it (the engine removes an auto-remove container).</summary>
    private async Task StartAsync(HttpContext context)
    {
        var container = Containers.Get(context.RouteValue("id"));
        bool started;
        try
        {
            started = await Containers.StartAsync(container.Id, context.RequestAborted);
        }
        catch (ContainerStartException)
        {
            services.Attachments.EndPending(container.Id);
            throw;
        }
        if (started)
            services.Logger.LogInformation("Started container {Id}", container.Id[..12]);
        context.Response.StatusCode = started ? 204 : 304;
    }

    private async Task StopAsync(HttpContext context)
    {
        int? timeout = QueryValues.Int(context.Request, "t");
        string? signal = context.Request.Query["signal"] is { Length: > 0 } s ? s : null;
        bool stopped = await Containers.StopAsync(context.RouteValue("id"), timeout, signal, context.RequestAborted);
        context.Response.StatusCode = stopped ? 204 : 304;
    }

    private Task KillAsync(HttpContext context)
    {
        Containers.Kill(context.RouteValue("id"), context.Request.Query["signal"]);
        context.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    private async Task RestartAsync(HttpContext context)
    {
        int? timeout = QueryValues.Int(context.Request, "t");
        string? signal = context.Request.Query["signal"] is { Length: > 0 } s ? s : null;
        var container = Containers.Get(context.RouteValue("id"));
        await Containers.RestartAsync(container.Id, timeout, signal, context.RequestAborted);
        services.Logger.LogInformation("Restarted container {Id}", container.Id[..12]);
        context.Response.StatusCode = 204;
    }

    /// <summary>204; 409 when the container does not run or is already paused.</summary>
    private async Task PauseAsync(HttpContext context)
    {
        await Containers.PauseAsync(context.RouteValue("id"), context.RequestAborted);
        context.Response.StatusCode = 204;
    }

    /// <summary>204; 409 when the container is not paused.</summary>
    private async Task UnpauseAsync(HttpContext context)
    {
        await Containers.UnpauseAsync(context.RouteValue("id"), context.RequestAborted);
        context.Response.StatusCode = 204;
    }

    /// <summary>
    /// `docker update`: 200 with Docker's Warnings. Zero resource values leave the limit as it is (moby); a field Berth
    /// cannot change is refused with a 400 naming it, as at create.
    /// </summary>
    private async Task UpdateAsync(HttpContext context)
    {
        var request = await context.Request.ReadJsonAsync(ApiJsonContext.Default.ContainerUpdateRequest, context.RequestAborted)
            ?? throw new ApiException(400, "update config cannot be empty");
        var refused = new List<string>();
        if (request.CpuPeriod != 0 || request.CpuQuota != 0)
            refused.Add("CpuPeriod/CpuQuota (--cpu-period, --cpu-quota; use --cpus)");
        if (request.CpuRealtimePeriod != 0 || request.CpuRealtimeRuntime != 0)
            refused.Add("CpuRealtime* (--cpu-rt-*)");
        if (!string.IsNullOrEmpty(request.CpusetCpus) || !string.IsNullOrEmpty(request.CpusetMems))
            refused.Add("CpusetCpus/CpusetMems (--cpuset-*)");
        if (request.MemoryReservation != 0)
            refused.Add("MemoryReservation (--memory-reservation)");
        if (request.KernelMemory != 0 || request.KernelMemoryTcp != 0)
            refused.Add("KernelMemory (--kernel-memory)");
        if (request.BlkioWeight != 0)
            refused.Add("BlkioWeight (--blkio-weight)");
        if (refused.Count > 0)
            throw new ApiException(400, "not supported by Berth yet: " + string.Join("; ", refused));
        var update = new ContainerUpdate
        {
            Memory = request.Memory != 0 ? request.Memory : null,
            MemorySwap = request.MemorySwap != 0 ? request.MemorySwap : null,
            NanoCpus = request.NanoCpus != 0 ? request.NanoCpus : null,
            CpuShares = request.CpuShares != 0 ? request.CpuShares : null,
            PidsLimit = request.PidsLimit,
            RestartPolicy = request.RestartPolicy is { Name.Length: > 0 } restart
                ? new Berth.Engine.Containers.Restart.RestartPolicy { Name = restart.Name, MaximumRetryCount = restart.MaximumRetryCount }
                : null,
        };
        var warnings = Containers.Update(context.RouteValue("id"), update);
        await context.Response.SendJsonAsync(new ContainerUpdateResponse { Warnings = warnings }, ApiJsonContext.Default.ContainerUpdateResponse, context.RequestAborted);
    }

    /// <summary>204; 400 for a missing or invalid name, 409 when another container has it.</summary>
    private Task RenameAsync(HttpContext context)
    {
        string name = context.Request.Query["name"] ?? "";
        if (name.Length == 0)
            throw new ApiException(400, "Neither old nor new names may be empty");
        Containers.Rename(context.RouteValue("id"), name);
        context.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    /// <summary>
    /// The terminal size of a Tty container: 200. Accepted from the create on (kept for the start), because the CLI
    /// retries its first resize only briefly (docker-api-notes §6.2); 409 once a run has ended.
    /// </summary>
    private Task ResizeAsync(HttpContext context)
    {
        var container = Containers.Get(context.RouteValue("id"));
        var (rows, columns) = ReadSize(context.Request);
        var status = container.State.Status;
        if (status is not (ContainerStatus.Created or ContainerStatus.Running or ContainerStatus.Paused))
            throw new ContainerConflictException($"Container {container.Id} is not running");
        Containers.Resize(container.Id, rows, columns);
        return Task.CompletedTask;
    }

    /// <summary>The h and w parameters of a resize, which must be numbers from 0 to 65535.</summary>
    internal static (ushort Rows, ushort Columns) ReadSize(HttpRequest request)
    {
        static ushort Parse(HttpRequest request, string name) =>
            ushort.TryParse(request.Query[name], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ushort value)
                ? value
                : throw new ApiException(400, $"invalid resize {(name == "h" ? "height" : "width")} \"{request.Query[name]}\"");
        return (Parse(request, "h"), Parse(request, "w"));
    }

    /// <summary>The host's ps over the container's processes (moby's daemon/top_unix.go); 409 when the container does not run.</summary>
    private async Task TopAsync(HttpContext context)
    {
        string psArgs = context.Request.Query["ps_args"] is { Length: > 0 } a ? a : "-ef";
        ProcessTable.ValidateArguments(psArgs);
        var pids = Containers.ProcessIds(context.RouteValue("id"));
        var table = await ProcessTable.ReadAsync(psArgs, pids, context.RequestAborted);
        await context.Response.SendJsonAsync(table, ApiJsonContext.Default.ContainerTopResponse, context.RequestAborted);
    }

    private async Task RemoveAsync(HttpContext context)
    {
        var container = Containers.Get(context.RouteValue("id"));
        if (QueryValues.Bool(context.Request, "link"))
            throw new ApiException(400, "links are not supported by Berth");
        await Containers.RemoveAsync(container.Id, QueryValues.Bool(context.Request, "force"), context.RequestAborted, removeVolumes: QueryValues.Bool(context.Request, "v"));
        services.Logger.LogInformation("Removed container {Id}", container.Id[..12]);
        context.Response.StatusCode = 204;
    }

    /// <summary>Removes every container that is not running (filters: label, label!, until).</summary>
    private async Task PruneAsync(HttpContext context)
    {
        var filters = FilterArgs.Parse(context.Request.Query["filters"]);
        foreach (string name in filters.Names)
            if (name is not ("label" or "label!" or "until"))
                throw new ApiException(400, $"invalid filter '{name}'");
        DateTime? until = null;
        foreach (string value in filters.Get("until"))
            until = ParseUntil(value);
        var (removed, reclaimed) = await Containers.PruneAsync(
            container => (until is not { } limit || container.Record.Created < limit) && PruneLabelsMatch(filters, container.Record.Config.Labels ?? []),
            context.RequestAborted);
        var response = new ContainerPruneResponse { ContainersDeleted = removed, SpaceReclaimed = reclaimed };
        await context.Response.SendJsonAsync(response, ApiJsonContext.Default.ContainerPruneResponse, context.RequestAborted);
    }

    private static DateTime ParseUntil(string value)
    {
        if (Berth.Api.ApiTimestamp.TryParse(value, out var time) && value.Contains('-'))
            return time;
        if (double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double seconds))
            return DateTime.UnixEpoch.AddSeconds(seconds);
        if (TimeSpan.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var age))
            return DateTime.UtcNow - age;
        throw new ApiException(400, $"invalid filter 'until={value}'");
    }

    private static bool PruneLabelsMatch(FilterArgs filters, Dictionary<string, string> labels)
    {
        foreach (string value in filters.Get("label"))
            if (!HasLabel(labels, value))
                return false;
        foreach (string value in filters.Get("label!"))
            if (HasLabel(labels, value))
                return false;
        return true;
    }

    private static bool HasLabel(Dictionary<string, string> labels, string filter)
    {
        int eq = filter.IndexOf('=');
        return eq < 0 ? labels.ContainsKey(filter) : labels.TryGetValue(filter[..eq], out string? v) && v == filter[(eq + 1)..];
    }
}
