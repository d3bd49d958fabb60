namespace Berth.Compose;

/// <summary>
/// The order services start in: a service after everything it depends on (<c>depends_on</c>, <c>links</c>,
/// <c>network_mode: service:x</c>, <c>volumes_from</c>), ties kept in file order; a cycle is an error naming it.
/// </summary>
public static class DependencyOrder
{
    public static List<string> Sort(ComposeProject project)
    {
        var order = new List<string>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string name in project.Services.Keys)
            Visit(name, project, state, order, []);
        return order;
    }

    /// <summary>The services <paramref name="service"/> needs started first (only those in the project).</summary>
    public static List<string> Dependencies(ComposeProject project, MapNode service)
    {
        var names = new List<string>();
        if (service["depends_on"] is MapNode depends)
            names.AddRange(depends.Entries.Keys);
        foreach (string link in ComposeLoader.Strings(service["links"]))
            names.Add(link.Split(':')[0]);
        if ((service["network_mode"] as ScalarNode)?.Value is { } mode && mode.StartsWith("service:", StringComparison.Ordinal))
            names.Add(mode[8..]);
        foreach (string from in ComposeLoader.Strings(service["volumes_from"]))
            if (!from.StartsWith("container:", StringComparison.Ordinal))
                names.Add(from.Split(':')[0]);
        return names.Where(project.Services.ContainsKey).Distinct().ToList();
    }

    private static void Visit(string name, ComposeProject project, Dictionary<string, int> state, List<string> order, List<string> path)
    {
        if (state.TryGetValue(name, out int s))
        {
            if (s == 1)
                throw new ComposeFileException(project.Services[name], $"dependency cycle detected: {string.Join(" -> ", path.SkipWhile(p => p != name).Append(name))}");
            return;
        }
        state[name] = 1;
        path.Add(name);
        foreach (string dependency in Dependencies(project, project.Services[name]))
            Visit(dependency, project, state, order, path);
        path.RemoveAt(path.Count - 1);
        state[name] = 2;
        order.Add(name);
    }
}
