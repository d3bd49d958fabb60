using System.Net;
using System.Net.Sockets;

namespace Berth.Cli.Api;

/// <summary>
/// Which daemon to talk to: <c>-H</c> wins over <c>BERTH_HOST</c>, which wins over <c>DOCKER_HOST</c>;
/// without any, <c>unix:///run/berth/berth.sock</c>. Accepts <c>unix:///path</c> and <c>tcp://host:port</c>.
/// </summary>
public sealed class DaemonHost
{
    public const string DefaultSocketPath = "/run/berth/berth.sock";
    public const string Default = "unix://" + DefaultSocketPath;

    private DaemonHost(string address, EndPoint endPoint)
    {
        Address = address;
        EndPoint = endPoint;
    }

    /// <summary>The address as the user gave it (or the default), for messages.</summary>
    public string Address { get; }

    public EndPoint EndPoint { get; }

    /// <summary>The host from the flag, else the environment, else the default.</summary>
    public static DaemonHost Resolve(string? flag, Func<string, string?> environment)
    {
        string? chosen = NonEmpty(flag) ?? NonEmpty(environment("BERTH_HOST")) ?? NonEmpty(environment("DOCKER_HOST"));
        return Parse(chosen ?? Default);
    }

    public static DaemonHost Parse(string address)
    {
        address = address.Trim();
        if (address.StartsWith("unix://", StringComparison.Ordinal))
        {
            string path = address["unix://".Length..];
            if (path.Length == 0)
                return new DaemonHost(Default, new UnixDomainSocketEndPoint(DefaultSocketPath));
            return new DaemonHost(address, new UnixDomainSocketEndPoint(path));
        }
        if (address.StartsWith("tcp://", StringComparison.Ordinal))
        {
            string hostPort = address["tcp://".Length..].TrimEnd('/');
            int colon = hostPort.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], out int port) || port is <= 0 or > 65535)
                throw new FormatException($"unable to parse berth host `{address}`");
            string host = hostPort[..colon].Trim('[', ']');
            EndPoint endPoint = IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
            return new DaemonHost(address, endPoint);
        }
        throw new FormatException($"unable to parse berth host `{address}`");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
