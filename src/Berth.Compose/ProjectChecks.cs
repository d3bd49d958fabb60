namespace Berth.Compose;

/// <summary>
/// What docker compose refuses before touching the engine: a service without image or build, a dependency, network
/// or named volume that is not defined, a cycle in <c>depends_on</c>, and one host port published by two services.
/// </summary>
public static class ProjectChecks
{
    public static void Check(ComposeProject project)
    {
        foreach (var (name, service) in project.Services)
        {
            if (service["image"] is null && service["build"] is null)
                throw new ComposeFileException(service, $"service \"{name}\" has neither an image nor a build context specified: invalid compose project");
            if (service["depends_on"] is MapNode depends)
                foreach (var (dependency, node) in depends.Entries)
                    if (!project.Services.ContainsKey(dependency))
                    {
                        bool required = node is not MapNode m || (m["required"] as ScalarNode)?.Value is not ("false" or "False");
                        if (required)
                            throw new ComposeFileException(node, project.DisabledServices.Contains(dependency)
                                ? $"service \"{name}\" depends on service \"{dependency}\" which is disabled by its profiles"
                                : $"service \"{name}\" depends on undefined service \"{dependency}\": invalid compose project");
                    }
            if (service["networks"] is MapNode networks)
                foreach (var (network, node) in networks.Entries)
                    if (network != "default" && !project.Networks.ContainsKey(network))
                        throw new ComposeFileException(node, $"service \"{name}\" refers to undefined network {network}: invalid compose project");
            foreach (var volume in ServiceVolumes.Parse(service))
                if (volume.Type == "volume" && volume.Source is { Length: > 0 } source && !project.Volumes.ContainsKey(source))
                    throw new ComposeFileException(volume.At, $"service \"{name}\" refers to undefined volume {source}: invalid compose project");
        }
        DependencyOrder.Sort(project);
        var published = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, service) in project.Services)
            foreach (var port in ServicePorts.Parse(service))
            {
                if (port.Published is not { Length: > 0 } hostPort)
                    continue;
                string key = $"{(port.HostIp is "" or "0.0.0.0" ? "*" : port.HostIp)}:{hostPort}/{port.Protocol}";
                if (published.TryGetValue(key, out string? other) && other != name)
                    throw new ComposeFileException(port.At, $"services \"{other}\" and \"{name}\" both publish host port {hostPort}/{port.Protocol}");
                published[key] = name;
            }
    }
}
