using System.Globalization;
using Berth.Network;

namespace Berth.Engine.Containers.Start;

/// <summary>A container's published ports: its `-p` bindings, and with `-P` every exposed port not bound by `-p`.</summary>
public static class PublishedPorts
{
    public static IReadOnlyList<PortMapping> Of(ContainerRecord record)
    {
        var ports = new List<PortMapping>();
        var bindings = record.HostConfig.PortBindings ?? [];
        foreach (var (key, list) in bindings)
        {
            var (port, protocol) = ParseKey(key);
            foreach (var binding in list)
            {
                var (hostPort, hostPortEnd) = ParseHostPort(binding.HostPort);
                ports.Add(new PortMapping(protocol, binding.HostIp, hostPort, port, hostPortEnd));
            }
        }
        if (record.HostConfig.PublishAllPorts)
            foreach (string key in record.Config.ExposedPorts ?? [])
                if (!bindings.ContainsKey(key))
                {
                    var (port, protocol) = ParseKey(key);
                    ports.Add(new PortMapping(protocol, "", 0, port));
                }
        return ports;
    }

    /// <summary>"80/tcp" or "80" (tcp) to the port and protocol; throws <see cref="InvalidParameterException"/> otherwise.</summary>
    public static (int Port, string Protocol) ParseKey(string key)
    {
        string[] parts = key.Split('/');
        string protocol = parts.Length == 2 ? parts[1].ToLowerInvariant() : "tcp";
        if (parts.Length > 2 || protocol is not ("tcp" or "udp")
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            throw new InvalidParameterException($"invalid port specification: \"{key}\"");
        return (port, protocol);
    }

    /// <summary>"", "8080" or a range "8000-8010" (for one container port) to the first and last host port (0 when single).</summary>
    public static (int First, int Last) ParseHostPort(string text)
    {
        if (text.Length == 0)
            return (0, 0);
        string[] parts = text.Split('-');
        if (parts.Length > 2 || !TryPort(parts[0], out int first) || parts.Length == 2 && (!TryPort(parts[1], out int last) || last < first))
            throw new InvalidParameterException($"invalid port specification: \"{text}\"");
        return parts.Length == 2 ? (first, int.Parse(parts[1], CultureInfo.InvariantCulture)) : (first, 0);
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
}
