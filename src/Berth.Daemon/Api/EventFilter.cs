using Berth.Api;
using Berth.Engine.Events;
using Berth.Http;

namespace Berth.Daemon.Api;

/// <summary>
/// The filters of <c>GET /events</c>, as moby's daemon/events/filter.go applies them: every filter given must
/// match. <c>container</c> matches the actor's id or name by prefix, <c>image</c> the image (an image event's id or
/// name, a container event's image attribute, with or without the tag), <c>type</c> and <c>event</c> exactly
/// (<c>exec_create</c>, <c>exec_start</c> and <c>health_status</c> also match the actions that start with them),
/// <c>label</c> the attributes (key or key=value), <c>scope</c> "local".
/// </summary>
public sealed class EventFilter
{
    private static readonly string[] Accepted = ["config", "container", "daemon", "event", "image", "label", "network", "node", "plugin", "scope", "secret", "service", "type", "volume"];
    private static readonly string[] FuzzyActions = ["exec_create", "exec_start", "health_status"];

    private readonly FilterArgs _filters;

    private EventFilter(FilterArgs filters) => _filters = filters;

    /// <summary>Parses the filters parameter; an unknown filter name is a 400.</summary>
    public static EventFilter Parse(string? json)
    {
        var filters = FilterArgs.Parse(json);
        foreach (string name in filters.Names)
            if (!Accepted.Contains(name))
                throw new ApiException(400, $"invalid filter '{name}'");
        return new EventFilter(filters);
    }

    public bool Matches(EngineEvent e)
    {
        var attributes = e.Attributes;
        return MatchesAction(e.Action)
            && Exact("type", e.Type)
            && Exact("scope", "local")
            && ByIdOrName("container", e, "container")
            && ByIdOrName("network", e, "network")
            && ByIdOrName("volume", e, "volume")
            && ByIdOrName("plugin", e, "plugin")
            && ByIdOrName("daemon", e, "daemon")
            && ByIdOrName("service", e, "service")
            && ByIdOrName("node", e, "node")
            && ByIdOrName("secret", e, "secret")
            && ByIdOrName("config", e, "config")
            && MatchesImage(e)
            && MatchesLabels(attributes);
    }

    private bool MatchesAction(string action)
    {
        var wanted = _filters.Get("event");
        if (wanted.Count == 0)
            return true;
        if (wanted.Any(FuzzyActions.Contains))
            return wanted.Any(w => action.StartsWith(w, StringComparison.Ordinal));
        return wanted.Contains(action);
    }

    private bool Exact(string name, string value)
    {
        var wanted = _filters.Get(name);
        return wanted.Count == 0 || wanted.Contains(value);
    }

    /// <summary>moby's fuzzyMatchName: the filter matches an event of that type whose id or name starts with one of its values.</summary>
    private bool ByIdOrName(string name, EngineEvent e, string type)
    {
        var wanted = _filters.Get(name);
        if (wanted.Count == 0)
            return true;
        string actorName = e.Attributes.TryGetValue("name", out string? n) ? n : "";
        if (e.Type != type)
            return false;
        return wanted.Any(w => e.ActorId.StartsWith(w, StringComparison.Ordinal) || (actorName.Length > 0 && actorName.StartsWith(w, StringComparison.Ordinal)));
    }

    private bool MatchesImage(EngineEvent e)
    {
        var wanted = _filters.Get("image");
        if (wanted.Count == 0)
            return true;
        string imageName = e.Attributes.TryGetValue(e.Type == "image" ? "name" : "image", out string? n) ? n : "";
        string[] candidates = [e.ActorId, imageName, StripTag(e.ActorId), StripTag(imageName)];
        return candidates.Any(c => c.Length > 0 && wanted.Contains(c));
    }

    /// <summary>busybox:latest → busybox; registry:5000/app → unchanged (the colon belongs to the host).</summary>
    private static string StripTag(string reference)
    {
        int at = reference.IndexOf('@');
        if (at >= 0)
            reference = reference[..at];
        int colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') ? reference[..colon] : reference;
    }

    private bool MatchesLabels(IReadOnlyDictionary<string, string> attributes)
    {
        foreach (string label in _filters.Get("label"))
        {
            int eq = label.IndexOf('=');
            bool ok = eq < 0
                ? attributes.ContainsKey(label)
                : attributes.TryGetValue(label[..eq], out string? value) && value == label[(eq + 1)..];
            if (!ok)
                return false;
        }
        return true;
    }
}
