namespace Berth.Http;

/// <summary>
/// A path template such as <c>/containers/{id}/json</c>. <c>{name}</c> matches one segment;
/// <c>{name*}</c> matches one or more segments joined by '/', for image names like
/// <c>/images/{name*}/json</c> with <c>registry:5000/team/app:v1</c>. At most one <c>{name*}</c>.
/// Segments are percent-decoded one by one, so <c>web%2Fx</c> is the single value "web/x".
/// </summary>
internal sealed class RouteTemplate
{
    private readonly Segment[] _segments;
    private readonly int _catchAll;

    private RouteTemplate(Segment[] segments)
    {
        _segments = segments;
        _catchAll = Array.FindIndex(segments, s => s.Kind == SegmentKind.CatchAll);
        LiteralCount = segments.Count(s => s.Kind == SegmentKind.Literal);
    }

    private enum SegmentKind { Literal, Parameter, CatchAll }

    private readonly record struct Segment(SegmentKind Kind, string Text);

    /// <summary>How many segments are literal: among matching templates the most literal one wins.</summary>
    public int LiteralCount { get; }

    public static RouteTemplate Parse(string template)
    {
        if (!template.StartsWith('/'))
            throw new ArgumentException($"route template `{template}` must start with '/'", nameof(template));
        var segments = template[1..].Split('/').Select(ParseSegment).ToArray();
        if (segments.Count(s => s.Kind == SegmentKind.CatchAll) > 1)
            throw new ArgumentException($"route template `{template}` has more than one {{name*}}", nameof(template));
        return new RouteTemplate(segments);
    }

    /// <summary>The parameter values when <paramref name="rawSegments"/> (still percent-encoded) match; null otherwise.</summary>
    public Dictionary<string, string>? Match(IReadOnlyList<string> rawSegments)
    {
        if (_catchAll < 0 ? rawSegments.Count != _segments.Length : rawSegments.Count < _segments.Length)
            return null;
        var values = new Dictionary<string, string>();
        int after = _catchAll < 0 ? 0 : _segments.Length - _catchAll - 1;
        int before = _catchAll < 0 ? _segments.Length : _catchAll;
        for (int i = 0; i < before; i++)
            if (!MatchSegment(_segments[i], rawSegments[i], values))
                return null;
        for (int i = 1; i <= after; i++)
            if (!MatchSegment(_segments[^i], rawSegments[^i], values))
                return null;
        if (_catchAll >= 0)
        {
            var middle = rawSegments.Skip(before).Take(rawSegments.Count - before - after).Select(Decode);
            values[_segments[_catchAll].Text] = string.Join('/', middle);
        }
        return values;
    }

    private static bool MatchSegment(Segment segment, string raw, Dictionary<string, string> values)
    {
        string decoded = Decode(raw);
        if (segment.Kind == SegmentKind.Literal)
            return segment.Text == decoded;
        if (decoded.Length == 0)
            return false;
        values[segment.Text] = decoded;
        return true;
    }

    private static string Decode(string raw) => PercentEncoding.Decode(raw, plusIsSpace: false);

    private static Segment ParseSegment(string text)
    {
        if (!text.StartsWith('{') || !text.EndsWith('}'))
            return new Segment(SegmentKind.Literal, text);
        string name = text[1..^1];
        return name.EndsWith('*')
            ? new Segment(SegmentKind.CatchAll, name[..^1])
            : new Segment(SegmentKind.Parameter, name);
    }
}
