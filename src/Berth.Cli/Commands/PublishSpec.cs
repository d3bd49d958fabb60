using System.Globalization;
using System.Net;
using Berth.Api;

namespace Berth.Cli.Commands;

/// <summary>
/// `-p [IP:][HOSTPORT:]CONTAINERPORT[/tcp|udp]` as the docker CLI turns it into ExposedPorts and PortBindings
/// (docker/cli opts/port.go, go-connections nat.ParsePortSpec); ranges are not taken (berthd refuses them too).
/// </summary>
public static class PublishSpec
{
    public static void Add(string spec, Dictionary<string, EmptyObject?> exposed, Dictionary<string, List<PortBinding>?> bindings)
    {
        string rest = spec, protocol = "tcp";
        int slash = rest.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = rest[(slash + 1)..].ToLowerInvariant();
            rest = rest[..slash];
        }
        string hostIp = "", hostPort = "", containerPort;
        int colon = rest.LastIndexOf(':');
        if (colon < 0)
        {
            containerPort = rest;
        }
        else
        {
            containerPort = rest[(colon + 1)..];
            string host = rest[..colon];
            int hostColon = host.LastIndexOf(':');
            if (hostColon < 0 && IPAddress.TryParse(host.Trim('[', ']'), out _) && host.Contains('.', StringComparison.Ordinal))
                hostIp = host;
            else if (hostColon < 0)
                hostPort = host;
            else
                (hostIp, hostPort) = (host[..hostColon].Trim('[', ']'), host[(hostColon + 1)..]);
        }
        if (protocol is not ("tcp" or "udp"))
            throw new FormatException($"invalid proto: {protocol}");
        if (!IsPort(containerPort) || (hostPort.Length > 0 && !IsPort(hostPort)))
            throw new FormatException($"invalid containerPort: {containerPort}");
        if (hostIp.Length > 0 && !IPAddress.TryParse(hostIp, out _))
            throw new FormatException($"invalid IP address: {hostIp}");
        string key = containerPort + "/" + protocol;
        exposed[key] = new EmptyObject();
        var list = bindings.GetValueOrDefault(key) ?? [];
        list.Add(new PortBinding { HostIp = hostIp, HostPort = hostPort });
        bindings[key] = list;
    }

    private static bool IsPort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is >= 1 and <= 65535;
}
