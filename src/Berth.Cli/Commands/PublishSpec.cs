using System.Globalization;
using System.Net;
using Berth.Api;

namespace Berth.Cli.Commands;

/// <summary>
/// `-p [IP:][HOSTPORT:]CONTAINERPORT[/tcp|udp]` as the docker CLI turns it into ExposedPorts and PortBindings
/// (docker/cli opts/port.go, go-connections nat.ParsePortSpec): ranges expand to one key per container port
/// (`8000-8002:80-82`), a host range for one container port stays a range for berthd to pick from (`8000-8010:80`).
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
        if (!TryRange(containerPort, out int start, out int end))
            throw new FormatException($"invalid containerPort: {containerPort}");
        int hostStart = 0, hostEnd = 0;
        if (hostPort.Length > 0 && !TryRange(hostPort, out hostStart, out hostEnd))
            throw new FormatException($"invalid hostPort: {hostPort}");
        if (hostPort.Length > 0 && end - start != hostEnd - hostStart && end != start)
            throw new FormatException($"invalid ranges specified for container and host Ports: {containerPort} and {hostPort}");
        if (hostIp.Length > 0 && !IPAddress.TryParse(hostIp, out _))
            throw new FormatException($"invalid IP address: {hostIp}");
        for (int i = 0; i <= end - start; i++)
        {
            string host = hostPort.Length == 0 ? ""
                : start == end && hostStart != hostEnd ? $"{hostStart}-{hostEnd}"
                : (hostStart + i).ToString(CultureInfo.InvariantCulture);
            string key = (start + i).ToString(CultureInfo.InvariantCulture) + "/" + protocol;
            exposed[key] = new EmptyObject();
            var list = bindings.GetValueOrDefault(key) ?? [];
            list.Add(new PortBinding { HostIp = hostIp, HostPort = host });
            bindings[key] = list;
        }
    }

    /// <summary>`--expose PORT[-END][/PROTO]`: every port of the range into ExposedPorts (docker/cli's parse).</summary>
    public static void Expose(string spec, Dictionary<string, EmptyObject?> exposed)
    {
        if (spec.Contains(':', StringComparison.Ordinal))
            throw new FormatException($"invalid port format for --expose: {spec}");
        int slash = spec.LastIndexOf('/');
        string port = slash < 0 ? spec : spec[..slash], protocol = slash < 0 ? "tcp" : spec[(slash + 1)..].ToLowerInvariant();
        if (!TryRange(port, out int start, out int end))
        {
            // go-connections' ParsePortRange errors: strconv's for a part that is no number, its own for a reversed range.
            string? notNumber = port.Split('-', 2).FirstOrDefault(p => !uint.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _));
            throw new FormatException($"invalid range format for --expose: {spec}, error: "
                + (notNumber is not null ? $"strconv.ParseUint: parsing \"{notNumber}\": invalid syntax" : $"invalid range specified for port: {port}"));
        }
        for (int p = start; p <= end; p++)
            exposed.TryAdd(p.ToString(CultureInfo.InvariantCulture) + "/" + protocol, new EmptyObject());
    }

    /// <summary>go-connections' ParsePortRange: "80" or "80-82", ports 1-65535, the end not below the start.</summary>
    private static bool TryRange(string text, out int start, out int end)
    {
        string[] parts = text.Split('-');
        (start, end) = (0, 0);
        if (parts.Length > 2 || !IsPort(parts[0], out start))
            return false;
        if (parts.Length == 1)
        {
            end = start;
            return true;
        }
        return IsPort(parts[1], out end) && end >= start;
    }

    private static bool IsPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
}
