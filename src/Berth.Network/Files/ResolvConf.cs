using System.Net;
using System.Text;

namespace Berth.Network.Files;

/// <summary>
/// A container's /etc/resolv.conf, as Docker writes it (libnetwork/internal/resolvconf): the host's file with
/// loopback nameservers dropped (they mean nothing inside the container's namespace), --dns replacing the
/// nameservers, --dns-search the search list, --dns-option the options; Google's resolvers when nothing remains.
/// On a user-defined network the nameserver is Berth's DNS responder on the network's gateway and the host's
/// servers become its upstreams.
/// </summary>
public static class ResolvConf
{
    public static readonly IReadOnlyList<string> FallbackNameservers = ["8.8.8.8", "8.8.4.4"];

    /// <summary>The parts of a resolv.conf Berth reads.</summary>
    public sealed record Parsed(IReadOnlyList<string> Nameservers, IReadOnlyList<string> Search, IReadOnlyList<string> Options);

    public static Parsed Parse(string text)
    {
        var nameservers = new List<string>();
        List<string> search = [], options = [];
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
                continue;
            string[] fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            switch (fields[0])
            {
                case "nameserver" when fields.Length > 1:
                    nameservers.Add(fields[1]);
                    break;
                case "search" or "domain":
                    search = [.. fields.Skip(1)];
                    break;
                case "options":
                    options.AddRange(fields.Skip(1));
                    break;
            }
        }
        return new Parsed(nameservers, search, options);
    }

    /// <summary>The host's nameservers that can be reached from a container's namespace (not loopback).</summary>
    public static IReadOnlyList<string> ReachableNameservers(Parsed host) =>
        [.. host.Nameservers.Where(n => !IPAddress.TryParse(n, out var a) || !IPAddress.IsLoopback(a))];

    /// <summary>
    /// The file for a container. <paramref name="embeddedResolver"/>: the DNS responder's address on the container's
    /// user-defined network, or null on the default bridge.
    /// </summary>
    public static string ForContainer(string hostFile, IReadOnlyList<string> dns, IReadOnlyList<string> dnsSearch,
        IReadOnlyList<string> dnsOptions, IPAddress? embeddedResolver)
    {
        var host = Parse(hostFile);
        IReadOnlyList<string> nameservers = embeddedResolver is not null ? [embeddedResolver.ToString()]
            : dns.Count > 0 ? dns
            : ReachableNameservers(host) is { Count: > 0 } reachable ? reachable
            : FallbackNameservers;
        var search = dnsSearch.Count > 0 ? dnsSearch.Where(s => s != ".").ToList() : host.Search;
        var options = dnsOptions.Count > 0 ? dnsOptions : host.Options;
        if (embeddedResolver is not null && !options.Any(o => o.StartsWith("ndots:", StringComparison.Ordinal)))
            options = [.. options, "ndots:0"];
        var text = new StringBuilder();
        foreach (string server in nameservers)
            text.Append("nameserver ").Append(server).Append('\n');
        if (search.Count > 0)
            text.Append("search ").AppendJoin(' ', search).Append('\n');
        if (options.Count > 0)
            text.Append("options ").AppendJoin(' ', options).Append('\n');
        return text.ToString();
    }
}
