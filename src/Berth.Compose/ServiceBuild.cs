namespace Berth.Compose;

/// <summary>
/// A service's <c>build:</c> as docker compose v2's classic builder sends it to <c>POST /build</c> (its
/// <c>imageBuildOptions</c>): the context directory (relative to the project directory), the Dockerfile (relative to the
/// context), build args (a bare <c>KEY</c> from the project's environment, left out when unset), target, labels,
/// network, extra hosts, no_cache, pull, and the tags: the service's image name first, then <c>build.tags</c>.
/// </summary>
public sealed record ServiceBuild(
    string Context,
    string? Dockerfile,
    IReadOnlyList<KeyValuePair<string, string>> Args,
    string? Target,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    string? Network,
    IReadOnlyList<string> ExtraHosts,
    IReadOnlyList<string> Tags,
    bool NoCache,
    bool Pull)
{
    /// <summary>The keys of <c>build:</c> the classic builder takes; compose v2 refuses ssh, secrets, additional contexts,
    /// privileged and several platforms with the classic builder, and Berth refuses whatever else it cannot honour.</summary>
    private static readonly HashSet<string> Supported = new(StringComparer.Ordinal)
    {
        "context", "dockerfile", "args", "target", "labels", "network", "extra_hosts", "tags", "no_cache", "pull",
    };

    /// <summary>The service's build, or null when it has no <c>build:</c>.</summary>
    public static ServiceBuild? Of(ComposeProject project, string service)
    {
        if (project.Services[service]["build"] is not MapNode build)
            return null;
        foreach (var (key, value) in build.Entries)
            if (!Supported.Contains(key) && !key.StartsWith("x-", StringComparison.Ordinal))
                throw new ComposeFileException(value, $"services.{service}.build.{key} is not supported by berth compose (the classic builder)");
        string context = Text(build, "context") ?? ".";
        if (!context.Contains("://", StringComparison.Ordinal) && !context.StartsWith("git@", StringComparison.Ordinal))
            context = Path.GetFullPath(context, project.WorkingDirectory);
        string? dockerfile = Text(build, "dockerfile") is { } file ? Path.GetFullPath(file, context) : null;
        var args = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in Pairs(build["args"], service, "args"))
            if ((value ?? project.Variables.GetValueOrDefault(key)) is { } resolved)
                args.Add(new(key, resolved));
        var labels = Pairs(build["labels"], service, "labels").Select(p => new KeyValuePair<string, string>(p.Key, p.Value ?? "")).ToList();
        var hosts = Pairs(build["extra_hosts"], service, "extra_hosts", ':').Select(p => $"{p.Key}:{p.Value}").ToList();
        var tags = new List<string> { new ContainerPlanner(project).ImageName(service) };
        tags.AddRange(ComposeLoader.Strings(build["tags"]).Where(t => !tags.Contains(t)));
        return new ServiceBuild(context, dockerfile, args, Text(build, "target"), labels, Text(build, "network"), hosts, tags,
            Text(build, "no_cache") is "true" or "True", Text(build, "pull") is "true" or "True");
    }

    private static string? Text(MapNode node, string key) => (node[key] as ScalarNode)?.Value;

    /// <summary>A mapping, or a list of <c>KEY=VALUE</c> (a bare <c>KEY</c> has no value), in file order.</summary>
    private static List<(string Key, string? Value)> Pairs(ComposeNode? node, string service, string key, char separator = '=')
    {
        switch (node)
        {
            case null or ScalarNode { Value: null }:
                return [];
            case MapNode map:
                return map.Entries.Select(e => (e.Key, (e.Value as ScalarNode)?.Value)).ToList();
            case ListNode list:
                var pairs = new List<(string, string?)>();
                foreach (var item in list.Items)
                {
                    string text = item is ScalarNode { Value: { } t } ? t : throw new ComposeFileException(item, $"services.{service}.build.{key} items must be strings");
                    int at = text.IndexOf(separator) is var i and >= 0 ? i : separator == ':' ? text.IndexOf('=') : -1;
                    pairs.Add(at < 0 ? (text, null) : (text[..at], text[(at + 1)..]));
                }
                return pairs;
            default:
                throw new ComposeFileException(node, $"services.{service}.build.{key} must be a mapping or a list");
        }
    }
}
