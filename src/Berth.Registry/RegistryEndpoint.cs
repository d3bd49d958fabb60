using System.Net;

namespace Berth.Registry;

/// <summary>
/// Where a reference's domain is served: Docker Hub's <c>docker.io</c> (and the legacy <c>index.docker.io</c>) at
/// <c>registry-1.docker.io</c>, anything else at itself. <see cref="Insecure"/> allows unverified TLS and then plain
/// HTTP, as dockerd allows for its insecure registries, which always include 127.0.0.0/8 and ::1 (registry/config.go).
/// </summary>
public sealed record RegistryEndpoint(string Domain, string Host, bool Insecure)
{
    public const string HubDomain = "docker.io";
    public const string HubHost = "registry-1.docker.io";

    public Uri HttpsUri => new($"https://{Host}/");

    public Uri HttpUri => new($"http://{Host}/");

    public static RegistryEndpoint For(string domain, RegistryOptions options)
    {
        string host = domain is HubDomain or "index.docker.io" ? HubHost : domain;
        return new RegistryEndpoint(domain, host, IsInsecure(host, options));
    }

    /// <summary>
    /// A `--registry-mirror` for docker.io: its host, plain HTTP allowed when the URL says http (as moby's
    /// ValidateMirror accepts it) or the host is insecure anyway.
    /// </summary>
    public static RegistryEndpoint ForMirror(Uri mirror, RegistryOptions options) =>
        new(HubDomain, mirror.Authority, mirror.Scheme == "http" || IsInsecure(mirror.Authority, options));

    /// <summary>The key the credential store uses: Docker Hub's is its historical index URL, others the domain.</summary>
    public static string CredentialKey(string domain) =>
        domain is HubDomain or "index.docker.io" or HubHost ? "https://index.docker.io/v1/" : domain;

    private static bool IsInsecure(string host, RegistryOptions options)
    {
        string hostOnly = HostWithoutPort(host);
        var address = hostOnly == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(hostOnly, out var parsed) ? parsed : null;
        if (options.LoopbackIsInsecure && address is not null && IPAddress.IsLoopback(address))
            return true;
        foreach (string entry in options.InsecureRegistries)
        {
            if (string.Equals(entry, host, StringComparison.OrdinalIgnoreCase) || string.Equals(entry, hostOnly, StringComparison.OrdinalIgnoreCase))
                return true;
            if (address is not null && IPNetwork.TryParse(entry, out var network) && network.Contains(address))
                return true;
        }
        return false;
    }

    /// <summary><c>host:port</c>, <c>[::1]:5000</c>, <c>::1</c> or <c>host</c> → the host part, without brackets.</summary>
    internal static string HostWithoutPort(string host)
    {
        if (host.StartsWith('['))
        {
            int close = host.IndexOf(']');
            return close > 0 ? host[1..close] : host;
        }
        int colon = host.LastIndexOf(':');
        return colon > 0 && host.IndexOf(':') == colon ? host[..colon] : host;
    }
}
