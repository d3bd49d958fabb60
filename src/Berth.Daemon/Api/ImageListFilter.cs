using System.Text.RegularExpressions;
using Berth.Api;
using Berth.Engine.Images;
using Berth.Http;

namespace Berth.Daemon.Api;

/// <summary>
/// The filters of <c>GET /images/json</c>: <c>dangling</c> (true: untagged images only), <c>label</c> (<c>key</c> or
/// <c>key=value</c>), <c>reference</c> (a glob over <c>name</c> or <c>name:tag</c>, as in <c>docker images 'busy*'</c>),
/// <c>before</c> and <c>since</c> (created before or after the named image) and <c>until</c> (created before a time).
/// </summary>
public sealed class ImageListFilter
{
    private readonly FilterArgs _filters;
    private readonly bool? _dangling;
    private DateTimeOffset? _before;
    private DateTimeOffset? _since;

    private ImageListFilter(FilterArgs filters, bool? dangling)
    {
        _filters = filters;
        _dangling = dangling;
    }

    public static ImageListFilter Parse(string? json, ImageStore? images = null)
    {
        var filters = FilterArgs.Parse(json);
        foreach (string name in filters.Names)
        {
            if (name is not ("dangling" or "label" or "reference" or "before" or "since" or "until"))
                throw new ApiException(400, $"invalid filter '{name}'");
        }
        DateTimeOffset? Created(string value) => images?.Find(value)?.Created ?? throw new ImageNotFoundException(value);
        DateTimeOffset? before = null, since = null;
        foreach (string value in filters.Get("before"))
            before = Created(value);
        foreach (string value in filters.Get("since"))
            since = Created(value);
        foreach (string value in filters.Get("until"))
            before = before is { } b && b < ImagePruneFilter.ParseUntil(value) ? b : ImagePruneFilter.ParseUntil(value);
        bool? dangling = null;
        foreach (string value in filters.Get("dangling"))
            dangling = value.ToLowerInvariant() switch
            {
                "true" or "1" => true,
                "false" or "0" => false,
                _ => throw new ApiException(400, $"invalid filter 'dangling={value}'"),
            };
        return new ImageListFilter(filters, dangling) { _before = before, _since = since };
    }

    public bool Matches(Image image)
    {
        if ((_before is { } before && image.Created >= before) || (_since is { } since && image.Created <= since))
            return false;
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
