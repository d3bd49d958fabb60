using System.Globalization;
using Berth.Api;
using Berth.Engine.Images;
using Berth.Http;

namespace Berth.Daemon.Api;

/// <summary>
/// The filters of <c>POST /images/prune</c> (moby's imagesPruneFilters): <c>dangling</c> (false: every unused image, as
/// <c>-a</c>), <c>until</c> (created before a time, a Unix time or a Go duration ago), <c>label</c> and <c>label!</c>.
/// </summary>
public sealed class ImagePruneFilter
{
    private readonly FilterArgs _filters;
    private readonly DateTimeOffset? _until;

    private ImagePruneFilter(FilterArgs filters, bool all, DateTimeOffset? until)
    {
        _filters = filters;
        All = all;
        _until = until;
    }

    /// <summary>Every unused image, not only the dangling ones.</summary>
    public bool All { get; }

    public static ImagePruneFilter Parse(string? json)
    {
        var filters = FilterArgs.Parse(json);
        foreach (string name in filters.Names)
            if (name is not ("dangling" or "until" or "label" or "label!"))
                throw new ApiException(400, $"invalid filter '{name}'");
        bool all = false;
        foreach (string value in filters.Get("dangling"))
            all = value.ToLowerInvariant() switch
            {
                "true" or "1" => false,
                "false" or "0" => true,
                _ => throw new ApiException(400, $"invalid filter 'dangling={value}'"),
            };
        DateTimeOffset? until = null;
        foreach (string value in filters.Get("until"))
            until = ParseUntil(value);
        return new ImagePruneFilter(filters, all, until);
    }

    public bool Matches(Image image)
    {
        if (_until is { } until && image.Created >= until)
            return false;
        var labels = image.Config.Config?.Labels ?? new Dictionary<string, string>();
        return _filters.Get("label").All(l => HasLabel(labels, l)) && !_filters.Get("label!").Any(l => HasLabel(labels, l));
    }

    private static bool HasLabel(IReadOnlyDictionary<string, string> labels, string filter)
    {
        int eq = filter.IndexOf('=');
        return eq < 0 ? labels.ContainsKey(filter) : labels.TryGetValue(filter[..eq], out string? value) && value == filter[(eq + 1)..];
    }

    /// <summary>moby's GetTimestamp: RFC 3339, Unix seconds, or a duration before now (<c>24h</c>, <c>10m</c>).</summary>
    internal static DateTimeOffset ParseUntil(string value)
    {
        if (value.Contains('-') && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return time;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
            return DateTimeOffset.UnixEpoch.AddSeconds(seconds);
        if (TryParseGoDuration(value, out var age))
            return DateTimeOffset.UtcNow - age;
        throw new ApiException(400, $"invalid filter 'until={value}'");
    }

    private static bool TryParseGoDuration(string value, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        int i = 0;
        while (i < value.Length)
        {
            int start = i;
            while (i < value.Length && (char.IsDigit(value[i]) || value[i] == '.'))
                i++;
            if (start == i || !double.TryParse(value.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out double n))
                return false;
            int unit = i;
            while (i < value.Length && char.IsLetter(value[i]))
                i++;
            double factor = value[unit..i] switch { "h" => 3600, "m" => 60, "s" => 1, "ms" => 1e-3, "us" or "µs" => 1e-6, "ns" => 1e-9, _ => -1 };
            if (factor < 0)
                return false;
            duration += TimeSpan.FromSeconds(n * factor);
        }
        return value.Length > 0;
    }
}
