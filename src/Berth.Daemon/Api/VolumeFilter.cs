using System.Text.RegularExpressions;
using FilterArgs = Berth.Api.FilterArgs;
using Berth.Engine.Volumes;
using Berth.Http;

namespace Berth.Daemon.Api;

/// <summary>
/// The filters of <c>GET /volumes</c> (moby volume/service/convert.go): <c>name</c> (a regular expression, so a
/// plain word matches as a substring), <c>driver</c> (exact), <c>label</c> and <c>label!</c> (<c>key</c> or
/// <c>key=value</c>), <c>dangling</c> (true: used by no container); and of prune: <c>label</c>, <c>label!</c>, <c>all</c>.
/// </summary>
public sealed class VolumeFilter
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    private readonly FilterArgs _filters;
    private readonly Func<string, bool> _inUse;

    private VolumeFilter(FilterArgs filters, Func<string, bool> inUse)
    {
        _filters = filters;
        _inUse = inUse;
    }

    /// <summary>True when prune's <c>all</c> filter asks for named volumes too.</summary>
    public bool All { get; private init; }

    public static VolumeFilter ForList(string? json, Func<string, bool> inUse)
    {
        var filters = Parse(json, ["name", "driver", "label", "label!", "dangling"]);
        foreach (string value in filters.Get("dangling"))
            Bool("dangling", value);
        foreach (string pattern in filters.Get("name"))
            _ = Pattern(pattern);
        return new VolumeFilter(filters, inUse);
    }

    public static VolumeFilter ForPrune(string? json)
    {
        var filters = Parse(json, ["label", "label!", "all"]);
        bool all = false;
        foreach (string value in filters.Get("all"))
            all = Bool("all", value);
        return new VolumeFilter(filters, _ => false) { All = all };
    }

    public bool Matches(Volume volume)
    {
        foreach (string pattern in _filters.Get("name"))
            if (!Pattern(pattern).IsMatch(volume.Name))
                return false;
        var drivers = _filters.Get("driver");
        if (drivers.Count > 0 && !drivers.Contains(volume.Driver))
            return false;
        foreach (string label in _filters.Get("label"))
            if (!HasLabel(volume, label))
                return false;
        foreach (string label in _filters.Get("label!"))
            if (HasLabel(volume, label))
                return false;
        foreach (string value in _filters.Get("dangling"))
            if (Bool("dangling", value) == _inUse(volume.Name))
                return false;
        return true;
    }

    private static bool HasLabel(Volume volume, string filter)
    {
        int eq = filter.IndexOf('=');
        string key = eq < 0 ? filter : filter[..eq];
        return volume.Labels.TryGetValue(key, out string? value) && (eq < 0 || value == filter[(eq + 1)..]);
    }

    private static FilterArgs Parse(string? json, string[] allowed)
    {
        var filters = FilterArgs.Parse(json);
        foreach (string name in filters.Names)
            if (!allowed.Contains(name))
                throw new ApiException(400, $"invalid filter '{name}'");
        return filters;
    }

    private static bool Bool(string name, string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new ApiException(400, $"invalid filter '{name}={value}'"),
    };

    private static Regex Pattern(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException)
        {
            throw new ApiException(400, $"invalid filter 'name={pattern}': not a regular expression");
        }
    }
}
