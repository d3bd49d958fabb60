using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Registry;

/// <summary>
/// One pooled HttpClient per registry host, each with that host's TLS trust: the system CAs plus any
/// <c>certs.d/&lt;host&gt;/*.crt</c>, the client certificate <c>client.cert</c>/<c>client.key</c> when present, and no
/// verification at all for an insecure registry (dockerd's InsecureSkipVerify). Redirects are not followed by the
/// handler: <see cref="RegistryClient"/> follows them itself so that credentials never travel to another host.
/// </summary>
internal sealed class RegistryTransport : IDisposable
{
    private readonly RegistryOptions _options;
    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.OrdinalIgnoreCase);

    public RegistryTransport(RegistryOptions options)
    {
        _options = options;
    }

    public HttpClient For(RegistryEndpoint endpoint) => _clients.GetOrAdd(endpoint.Host, _ => Create(endpoint));

    private HttpClient Create(RegistryEndpoint endpoint)
    {
        string? certs = _options.CertsDirectory is { } root ? Path.Combine(root, endpoint.Host) : null;
        var authorities = LoadAuthorities(certs);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = LoadClientCertificate(certs),
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    errors == SslPolicyErrors.None || endpoint.Insecure || (errors == SslPolicyErrors.RemoteCertificateChainErrors && ChainsTo(certificate, authorities)),
            },
        };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private static X509Certificate2Collection LoadAuthorities(string? directory)
    {
        var authorities = new X509Certificate2Collection();
        if (directory is not null && Directory.Exists(directory))
        {
            foreach (string file in Directory.EnumerateFiles(directory, "*.crt"))
                authorities.ImportFromPemFile(file);
        }
        return authorities;
    }

    private static X509CertificateCollection? LoadClientCertificate(string? directory)
    {
        if (directory is null)
            return null;
        string cert = Path.Combine(directory, "client.cert");
        string key = Path.Combine(directory, "client.key");
        return File.Exists(cert) && File.Exists(key) ? new X509CertificateCollection { X509Certificate2.CreateFromPemFile(cert, key) } : null;
    }

    /// <summary>The certificate chains to one of the registry's own CAs (the system store already said no).</summary>
    private static bool ChainsTo(X509Certificate? certificate, X509Certificate2Collection authorities)
    {
        if (certificate is null || authorities.Count == 0)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
            client.Dispose();
        _clients.Clear();
    }
}
