using Berth.Api;

namespace Berth.Cli.Output;

/// <summary>docker/cli <c>DisplayablePorts</c>: "80/tcp", "0.0.0.0:8080->80/tcp", consecutive ports grouped as "8000-8002/tcp".</summary>
internal static class PortList
{
    public static string Format(IEnumerable<Port> ports)
    {
        var sorted = ports.OrderBy(p => p.PrivatePort).ThenBy(p => p.IP ?? "", StringComparer.Ordinal)
            .ThenBy(p => p.PublicPort ?? 0).ThenBy(p => p.Type, StringComparer.Ordinal).ToList();
        var groups = new Dictionary<string, (int First, int Last)>(StringComparer.Ordinal);
        var groupKeys = new List<string>();
        var result = new List<string>();
        var hostMappings = new List<string>();
        foreach (var port in sorted)
        {
            int current = port.PrivatePort;
            string key = port.Type;
            if (!string.IsNullOrEmpty(port.IP))
            {
                int publicPort = port.PublicPort ?? 0;
                if (publicPort != current)
                {
                    hostMappings.Add($"{JoinHostPort(port.IP, publicPort.ToString())}->{port.PrivatePort}/{port.Type}");
                    continue;
                }
                key = port.IP + "/" + port.Type;
            }
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = (current, current);
                groupKeys.Add(key);
                continue;
            }
            if (current == group.Last + 1)
            {
                groups[key] = (group.First, current);
                continue;
            }
            result.Add(FormGroup(key, group.First, group.Last));
            groups[key] = (current, current);
        }
        foreach (string key in groupKeys)
            result.Add(FormGroup(key, groups[key].First, groups[key].Last));
        result.AddRange(hostMappings);
        return string.Join(", ", result);
    }

    private static string FormGroup(string key, int first, int last)
    {
        var parts = key.Split('/');
        string type = parts[0];
        string ip = "";
        if (parts.Length > 1)
        {
            ip = parts[0];
            type = parts[1];
        }
        string group = first == last ? first.ToString() : $"{first}-{last}";
        if (ip.Length > 0)
            group = $"{JoinHostPort(ip, group)}->{group}";
        return group + "/" + type;
    }

    private static string JoinHostPort(string host, string port) => host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
}
