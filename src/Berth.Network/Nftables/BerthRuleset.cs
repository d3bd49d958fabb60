using System.Text;

namespace Berth.Network.Nftables;

/// <summary>
/// The text of Berth's one nftables table (`table ip berth`), built from the networks and their endpoints.
/// The design measured end to end in the networking spike (host-facts.md): published ports are elements of
/// maps (one rule per protocol, an element per port: 0.07 ms to add), DNAT on `fib daddr type local` in prerouting
/// and output (so 127.0.0.1 and the host's own addresses work without a proxy process), masquerade of each bridge
/// subnet going out and of DNATed hairpin and loopback-sourced flows going into a bridge, and a drop of packets from
/// a bridge to 127.0.0.0/8 that are not replies of a DNATed flow (route_localnet=1 would otherwise expose the host's
/// loopback services to containers). `ct status & dnat == 0`, not `ct status != dnat`, which compiles to an exact
/// compare and drops everything. Nothing outside this table is read or changed.
/// </summary>
public static class BerthRuleset
{
    public const string DefaultTable = "berth";

    /// <summary>
    /// One transaction that replaces the table: create it if absent (so the delete cannot fail), delete it, write it
    /// whole. Readers of the ruleset see the old table or the new one, never a half-built one.
    /// </summary>
    public static string Rebuild(string table, IEnumerable<NetworkRecord> networks)
    {
        var bridges = networks.Where(n => n.IsBridge && n.BridgeName is not null && n.Subnet is not null).ToList();
        var text = new StringBuilder();
        text.Append($"add table ip {table}\ndelete table ip {table}\ntable ip {table} {{\n");
        foreach (string protocol in Protocols)
        {
            AppendMap(text, $"{protocol}_ports", "inet_service", bridges, protocol, anyAddress: true);
            AppendMap(text, $"{protocol}_addr_ports", "ipv4_addr . inet_service", bridges, protocol, anyAddress: false);
        }
        text.Append("\tchain published {\n");
        foreach (string protocol in Protocols)
            text.Append($"\t\tdnat ip to ip daddr . {protocol} dport map @{protocol}_addr_ports\n");
        foreach (string protocol in Protocols)
            text.Append($"\t\tdnat ip to {protocol} dport map @{protocol}_ports\n");
        text.Append("\t}\n");
        text.Append("\tchain prerouting {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n\t\tfib daddr type local jump published\n\t}\n");
        text.Append("\tchain output {\n\t\ttype nat hook output priority -100; policy accept;\n\t\tfib daddr type local jump published\n\t}\n");
        text.Append("\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n");
        text.Append("\t\tip saddr 127.0.0.0/8 ct status & dnat == dnat masquerade\n");
        foreach (var network in bridges)
        {
            string bridge = Quote(network.BridgeName!);
            text.Append($"\t\toifname {bridge} ip saddr {network.Subnet} ct status & dnat == dnat masquerade\n");
            if (!network.Internal && network.Masquerade)
                text.Append($"\t\tip saddr {network.Subnet} oifname != {bridge} masquerade\n");
        }
        text.Append("\t}\n");
        text.Append("\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n");
        foreach (var network in bridges)
            text.Append($"\t\tiifname {Quote(network.BridgeName!)} ip daddr 127.0.0.0/8 ct status & dnat == 0 drop\n");
        text.Append("\t}\n");
        text.Append("\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n");
        foreach (var network in bridges.Where(n => n.Internal))
        {
            string bridge = Quote(network.BridgeName!);
            text.Append($"\t\tiifname {bridge} oifname != {bridge} drop\n\t\toifname {bridge} iifname != {bridge} drop\n");
        }
        text.Append("\t}\n}\n");
        return text.ToString();
    }

    /// <summary>Adds (or with <paramref name="delete"/>, removes) one endpoint's published ports, one transaction.</summary>
    public static string Elements(string table, string containerIp, IEnumerable<PortMapping> ports, bool delete)
    {
        var text = new StringBuilder();
        foreach (var port in ports)
        {
            string map = port.AnyAddress ? $"{port.Protocol}_ports" : $"{port.Protocol}_addr_ports";
            string key = port.AnyAddress ? $"{port.HostPort}" : $"{port.HostIp} . {port.HostPort}";
            text.Append(delete
                ? $"delete element ip {table} {map} {{ {key} }}\n"
                : $"add element ip {table} {map} {{ {key} : {containerIp} . {port.ContainerPort} }}\n");
        }
        return text.ToString();
    }

    public static string DeleteTable(string table) => $"add table ip {table}\ndelete table ip {table}\n";

    private static readonly string[] Protocols = ["tcp", "udp"];

    private static void AppendMap(StringBuilder text, string name, string keyType, List<NetworkRecord> bridges, string protocol, bool anyAddress)
    {
        text.Append($"\tmap {name} {{\n\t\ttype {keyType} : ipv4_addr . inet_service\n");
        var elements = bridges.SelectMany(n => n.Endpoints.Values)
            .SelectMany(e => e.Ports.Where(p => p.Protocol == protocol && p.AnyAddress == anyAddress)
                .Select(p => anyAddress ? $"{p.HostPort} : {e.IPv4Address} . {p.ContainerPort}"
                    : $"{p.HostIp} . {p.HostPort} : {e.IPv4Address} . {p.ContainerPort}"))
            .ToList();
        if (elements.Count > 0)
            text.Append($"\t\telements = {{ {string.Join(", ", elements)} }}\n");
        text.Append("\t}\n");
    }

    /// <summary>Interface names are at most 15 bytes of [A-Za-z0-9_.-] (validated at network create); quoted for nft.</summary>
    private static string Quote(string name) => $"\"{name}\"";
}
