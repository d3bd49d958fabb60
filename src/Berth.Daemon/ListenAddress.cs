using System.Net;
using System.Net.Sockets;

namespace Berth.Daemon;

/// <summary>Parses <c>-H</c>: <c>unix:///path</c> (or a bare absolute path), <c>tcp://host:port</c>, or <c>fd://</c> (socket activation).</summary>
public static class ListenAddress
{
    /// <summary>For <c>fd://</c> or <c>fd://NAME</c> (sockets systemd passed), what follows <c>fd://</c>; else null.</summary>
    public static string? FdSelector(string host) =>
        host.StartsWith("fd://", StringComparison.Ordinal) ? host["fd://".Length..] : null;

    /// <summary>Refuses a -H or `hosts` entry that cannot be served, naming it (names are not resolved here).</summary>
    public static void Check(string host)
    {
        if (FdSelector(host) is not null)
            return;
        if (host.StartsWith("tcp://", StringComparison.Ordinal))
        {
            string rest = host["tcp://".Length..].TrimEnd('/');
            int colon = rest.LastIndexOf(':');
            if (colon < 0 || !int.TryParse(rest.AsSpan(colon + 1), out int port) || port is < 0 or > 65535)
                throw new Config.DaemonConfigException($"invalid host `{host}` (`hosts`, -H): tcp:// needs host:port");
            return;
        }
        string path = host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..] : host;
        if (!path.StartsWith('/'))
            throw new Config.DaemonConfigException($"invalid host `{host}` (`hosts`, -H): use unix:///path, fd://[NAME] or tcp://host:port");
    }

    public static EndPoint Parse(string host)
    {
        if (host.StartsWith("unix://", StringComparison.Ordinal))
            host = host["unix://".Length..];
        if (host.StartsWith('/'))
            return new UnixDomainSocketEndPoint(host);
        if (host.StartsWith("tcp://", StringComparison.Ordinal))
        {
            string rest = host["tcp://".Length..].TrimEnd('/');
            int colon = rest.LastIndexOf(':');
            if (colon < 0 || !int.TryParse(rest.AsSpan(colon + 1), out int port) || port is < 0 or > 65535)
                throw new FormatException($"invalid host `{host}`: tcp:// needs host:port");
            string name = rest[..colon].Trim('[', ']');
            if (name.Length == 0)
                name = "127.0.0.1";
            if (IPAddress.TryParse(name, out var address))
                return new IPEndPoint(address, port);
            var resolved = Dns.GetHostAddresses(name);
            if (resolved.Length == 0)
                throw new FormatException($"invalid host `{host}`: `{name}` does not resolve");
            return new IPEndPoint(resolved[0], port);
        }
        throw new FormatException($"invalid host `{host}`: use unix:///path or tcp://host:port");
    }
}
