using System.Text.RegularExpressions;
using Berth.Api;
using Berth.Engine.Images;
using Berth.Http;

namespace Berth.Daemon.Api;

/// <summary>
/// The filters of <c>GET /images/json</c>: <c>dangling</c> (true: untagged images only), <c>label</c> (<c>key</c> or
/// <c>key=value</c>) and <c>reference</c> (a glob over <c>name</c> or <c>name:tag</c>, as in <c>docker images 'busy*'</c>).
/// </summary>
public sealed class ImageListFilter
{
    private readonly FilterArgs _filters;
    private readonly bool? _dangling;

    private ImageListFilter(FilterArgs filters, bool? dangling)
    {
        _filters = filters;
        _dangling = dangling;
    }

    public static ImageListFilter Parse(string? json)
    {
        var filters = FilterArgs.Parse(json);
        foreach (string name in filters.Names)
        {
            if (name is "before" or "since" or "until")
                throw new ApiException(400, $"the filter '{name}' is not supported by Berth yet");
            if (name is not ("dangling" or "label" or "reference"))
                throw new ApiException(400, $"invalid filter '{name}'");
        }
        bool? dangling = null;
        foreach (string value in filters.Get("dangling"))
            dangling = value.ToLowerInvariant() switch
            {
                "true" or "1" => true,
                "false" or "0" => false,
                _ => throw new ApiException(400, $"invalid filter 'dangling={value}'"),
            };
        return new ImageListFilter(filters, dangling);
    }

    public bool Matches(Image image)
    {
        if (_dangling is { } dangling && dangling != (image.RepoTags.Count == 0))
            return false;
        var labels = image.Config.Config?.Labels ?? new Dictionary<string, string>();
        foreach (string value in _filters.Get("label"))
        {
            int eq = value.IndexOf('=');
            string key = eq < 0 ? value : value[..eq];
            if (!labels.TryGetValue(key, out string? actual) || (eq >= 0 && actual != value[(eq + 1)..]))
                return false;
        }
        var references = _filters.Get("reference");
        if (references.Count > 0 && !references.Any(pattern => image.RepoTags.Any(tag => Glob(pattern, tag))))
            return false;
        return true;
    }

    /// <summary>reference.FamiliarMatch: Go's path.Match against <c>name:tag</c>, or against <c>name</c> alone.</summary>
    private static bool Glob(string pattern, string tag)
    {
        var regex = new Regex("^" + Regex.Escape(pattern).Replace(@"\*", "[^/]*").Replace(@"\?", "[^/]") + "$");
        int colon = tag.LastIndexOf(':');
        return regex.IsMatch(tag) || (colon > tag.LastIndexOf('/') && regex.IsMatch(tag[..colon]));
    }
}
