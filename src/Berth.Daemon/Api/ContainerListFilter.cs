using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Api;
using Berth.Engine.Containers;
using Berth.Engine.Images;
using Berth.Http;

namespace Berth.Daemon.Api;

/// <summary>
/// The filters of <c>GET /containers/json</c>, with moby's semantics (daemon/list.go): <c>name</c> and <c>id</c>
/// match exactly or as a regular expression, <c>status</c> is one of the states (and implies all=1),
/// <c>label</c> is <c>key</c> or <c>key=value</c> (all must match), <c>ancestor</c> is an image name or ID,
/// <c>exited</c> an exit code. Several values of one filter are alternatives.
/// </summary>
public sealed class ContainerListFilter
{
    private static readonly string[] States = ["created", "running", "paused", "restarting", "removing", "exited", "dead"];
    private static readonly string[] Supported = ["name", "id", "status", "label", "ancestor", "exited", "health"];
    private static readonly string[] Healths = ["starting", "healthy", "unhealthy", "none"];
    private static readonly string[] KnownToDocker = ["before", "since", "volume", "network", "isolation", "is-task", "publish", "expose"];

    private readonly FilterArgs _filters;
    private readonly HashSet<string>? _ancestorIds;
    private readonly List<int> _exitCodes = [];

    private ContainerListFilter(FilterArgs filters, HashSet<string>? ancestorIds)
    {
        _filters = filters;
        _ancestorIds = ancestorIds;
    }

    /// <summary>Whether a status filter was given: it lists stopped containers too.</summary>
    public bool ImpliesAll => _filters.Contains("status");

    public static ContainerListFilter Parse(string? json, ImageStore images)
    {
        var filters = FilterArgs.Parse(json);
        foreach (string name in filters.Names)
        {
            if (KnownToDocker.Contains(name))
                throw new ApiException(400, $"the filter '{name}' is not supported by Berth yet");
            if (!Supported.Contains(name))
                throw new ApiException(400, $"invalid filter '{name}'");
        }
        foreach (string state in filters.Get("status"))
            if (!States.Contains(state))
                throw new ApiException(400, $"invalid filter 'status={state}': invalid container state: \"{state}\" (must be one of {string.Join(", ", States)})");
        foreach (string health in filters.Get("health"))
            if (!Healths.Contains(health))
                throw new ApiException(400, $"invalid filter 'health={health}': Unrecognised filter value for health: {health}");
        HashSet<string>? ancestors = null;
        if (filters.Contains("ancestor"))
        {
            ancestors = [];
            foreach (string reference in filters.Get("ancestor"))
                if (TryFind(images, reference) is { } image)
                    ancestors.Add(image.Id);
        }
        var filter = new ContainerListFilter(filters, ancestors);
        foreach (string code in filters.Get("exited"))
            filter._exitCodes.Add(int.TryParse(code, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
                ? value
                : throw new ApiException(400, $"invalid filter 'exited={code}'"));
        return filter;
    }

    public bool Matches(Container container)
    {
        var state = container.State;
        if (!Match("name", container.Name) && !Match("name", "/" + container.Name))
            return false;
        if (!Match("id", container.Id))
            return false;
        if (!Match("status", ContainerStatusText.StateName(state.Status)))
            return false;
        if (!MatchLabels(container.Record.Config.Labels))
            return false;
        var healths = _filters.Get("health");
        if (healths.Count > 0 && !healths.Contains(HealthOf(container, state)))
            return false;
        if (_ancestorIds is not null && !_ancestorIds.Contains(container.Record.ImageId))
            return false;
        if (_exitCodes.Count > 0 && (state.Running || state.StartedAt == default || !_exitCodes.Contains(state.ExitCode)))
            return false;
        return true;
    }

    /// <summary>moby's health filter: the healthcheck's status, "none" for a container without a healthcheck.</summary>
    private static string HealthOf(Container container, Berth.Engine.Containers.ContainerState state) =>
        container.Record.Config.Healthcheck is { IsEnabled: true } && state.Health is { } health ? health.Status : "none";

    /// <summary>filters.Args.Match: no values matches everything; else an exact value or a regular expression that matches.</summary>
    private bool Match(string name, string source)
    {
        var values = _filters.Get(name);
        if (values.Count == 0 || values.Contains(source))
            return true;
        foreach (string pattern in values)
        {
            try
            {
                if (Regex.IsMatch(source, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100)))
                    return true;
            }
            catch (ArgumentException)
            {
                // an invalid regular expression matches nothing, as in Go
            }
            catch (RegexMatchTimeoutException)
            {
            }
        }
        return false;
    }

    /// <summary>filters.Args.MatchKVList: every label filter must hold.</summary>
    private bool MatchLabels(Dictionary<string, string>? labels)
    {
        var values = _filters.Get("label");
        if (values.Count == 0)
            return true;
        if (labels is null || labels.Count == 0)
            return false;
        foreach (string value in values)
        {
            int eq = value.IndexOf('=');
            string key = eq < 0 ? value : value[..eq];
            if (!labels.TryGetValue(key, out string? actual))
                return false;
            if (eq >= 0 && actual != value[(eq + 1)..])
                return false;
        }
        return true;
    }

    private static Image? TryFind(ImageStore images, string reference)
    {
        try
        {
            return images.Find(reference);
        }
        catch (Exception e) when (e is ImageException or Berth.Common.InvalidImageReferenceException)
        {
            return null;
        }
    }
}
