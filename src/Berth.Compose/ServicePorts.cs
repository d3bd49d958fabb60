namespace Berth.Compose;

/// <summary>
/// A service's <c>ports</c>, short (<c>80</c>, <c>8080:80</c>, <c>127.0.0.1:8080:80/udp</c>, ranges
/// <c>8080-8081:80-81</c>) and long syntax (target, published, host_ip, protocol), one entry per port.
/// </summary>
public static class ServicePorts
{
    public static List<ServicePort> Parse(MapNode service)
    {
        var result = new List<ServicePort>();
        if (service["ports"] is not ListNode list)
            return result;
        foreach (var item in list.Items)
        {
            if (item is MapNode map)
            {
                string longTarget = (map["target"] as ScalarNode)?.Value ?? throw new ComposeFileException(map, "ports: target is required");
                result.Add(new ServicePort((map["host_ip"] as ScalarNode)?.Value ?? "", (map["published"] as ScalarNode)?.Value,
                    longTarget, (map["protocol"] as ScalarNode)?.Value ?? "tcp", true, map));
                continue;
            }
            string text = (item as ScalarNode)?.Value ?? throw new ComposeFileException(item, "ports: expected a string or a mapping");
            string protocol = "tcp";
            int slash = text.LastIndexOf('/');
            if (slash >= 0)
            {
                protocol = text[(slash + 1)..];
                text = text[..slash];
            }
            string hostIp = "";
            if (text.StartsWith('['))
            {
                int close = text.IndexOf(']');
                hostIp = text[1..close];
                text = text[(close + 2)..];
            }
            string[] parts = text.Split(':');
            (string? published, string target) = parts.Length switch
            {
                1 => ((string?)null, parts[0]),
                2 => (parts[0], parts[1]),
                3 => (parts[1], parts[2]),
                _ => throw new ComposeFileException(item, $"invalid port specification: '{(item as ScalarNode)!.Value}'"),
            };
            if (parts.Length == 3)
                hostIp = parts[0];
            var targets = Range(target, item);
            var hosts = string.IsNullOrEmpty(published) ? null : Range(published, item);
            if (hosts is not null && hosts.Count != targets.Count && hosts.Count != 1)
                throw new ComposeFileException(item, $"invalid port specification: '{(item as ScalarNode)!.Value}': ranges differ in size");
            for (int i = 0; i < targets.Count; i++)
                result.Add(new ServicePort(hostIp, hosts is null ? null : hosts.Count == 1 && targets.Count > 1 ? published : hosts[i], targets[i], protocol, true, item));
        }
        return result;
    }

    private static List<string> Range(string text, ComposeNode at)
    {
        string[] bounds = text.Split('-');
        if (bounds.Length == 1 && int.TryParse(text, out int single) && single is > 0 and < 65536)
            return [text];
        if (bounds.Length == 2 && int.TryParse(bounds[0], out int low) && int.TryParse(bounds[1], out int high) && low > 0 && high < 65536 && low <= high)
            return Enumerable.Range(low, high - low + 1).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        throw new ComposeFileException(at, $"invalid port: '{text}'");
    }
}
