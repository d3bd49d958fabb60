using System.Text;

namespace Berth.Network.Files;

/// <summary>
/// A container's /etc/hosts as Docker writes it (libnetwork/etchosts): the loopback and IPv6 lines, one line per
/// address of the container with its hostname, legacy links (`IP\talias hostname name`), then --add-host entries.
/// Tab-separated.
/// </summary>
public static class HostsFile
{
    /// <summary>A `--link NAME:ALIAS` target on the default bridge.</summary>
    public sealed record Link(string Alias, string Address, string Hostname, string Name);

    public static string Build(string hostname, IReadOnlyList<string> addresses, IReadOnlyList<Link> links,
        IReadOnlyList<string> extraHosts, bool ipv6 = true)
    {
        var text = new StringBuilder("127.0.0.1\tlocalhost\n");
        if (ipv6)
            text.Append("::1\tlocalhost ip6-localhost ip6-loopback\nfe00::\tip6-localnet\nff00::\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n");
        foreach (var link in links)
        {
            text.Append(link.Address).Append('\t').Append(link.Alias);
            if (link.Hostname != link.Alias)
                text.Append(' ').Append(link.Hostname);
            if (link.Name != link.Alias)
                text.Append(' ').Append(link.Name);
            text.Append('\n');
        }
        foreach (string extra in extraHosts)
        {
            // --add-host NAME:IP (Docker also accepts NAME=IP); the IP may itself hold colons (IPv6).
            int separator = extra.IndexOf('=') is int eq and >= 0 ? eq : extra.IndexOf(':');
            if (separator <= 0)
                throw new FormatException($"invalid argument \"{extra}\" for \"--add-host\" flag: bad format for add-host");
            text.Append(extra[(separator + 1)..].Trim('[', ']')).Append('\t').Append(extra[..separator]).Append('\n');
        }
        foreach (string address in addresses)
            text.Append(address).Append('\t').Append(hostname).Append('\n');
        return text.ToString();
    }

    /// <summary>/etc/hostname: the hostname and a newline.</summary>
    public static string Hostname(string hostname) => hostname + "\n";
}
