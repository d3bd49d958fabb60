using Berth.Common;
using Berth.Engine.Images;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Registry;

/// <summary>
/// The daemon's registry access: transports per host and the token cache, shared by every pull, push and login.
/// </summary>
public sealed class RegistryService : IDisposable
{
    public RegistryService(RegistryOptions options, ILogger? logger = null)
    {
        Options = options;
        Logger = logger ?? NullLogger.Instance;
        Transport = new RegistryTransport(options);
    }

    public RegistryOptions Options { get; }

    internal ILogger Logger { get; }

    internal RegistryTransport Transport { get; }

    internal TokenCache Tokens { get; } = new();

    /// <summary>A client for one repository with the scopes it needs (<c>pull</c>, or <c>pull,push</c>) plus any extra scopes (mount sources).</summary>
    public RegistryClient Open(ImageReference reference, RegistryCredentials? credentials, bool push, IEnumerable<string>? extraScopes = null)
    {
        var scopes = new List<string> { $"repository:{reference.Path}:{(push ? "pull,push" : "pull")}" };
        scopes.AddRange(extraScopes ?? []);
        return new RegistryClient(this, RegistryEndpoint.For(reference.Domain, Options), reference.Path, credentials, scopes);
    }

    /// <summary>
    /// Clients for a pull: for docker.io, one per <see cref="RegistryOptions.Mirrors"/> entry (the same repository path,
    /// as Docker's pull-through mirrors serve it) and then Docker Hub; for any other registry, that registry alone.
    /// </summary>
    public IEnumerable<RegistryClient> OpenForPull(ImageReference reference, RegistryCredentials? credentials)
    {
        if (RegistryEndpoint.For(reference.Domain, Options).Host == RegistryEndpoint.HubHost)
            foreach (var mirror in Options.Mirrors)
                yield return new RegistryClient(this, RegistryEndpoint.ForMirror(mirror, Options), reference.Path, credentials,
                    [$"repository:{reference.Path}:pull"]);
        yield return Open(reference, credentials, push: false);
    }

    /// <summary>POST /auth: checks credentials against <paramref name="server"/> (a host, or a URL as the CLI may send).</summary>
    public Task LoginAsync(string server, RegistryCredentials credentials, CancellationToken ct)
    {
        string domain = DomainOf(server);
        return new RegistryClient(this, RegistryEndpoint.For(domain, Options), null, credentials, []).LoginAsync(ct);
    }

    /// <summary><c>https://index.docker.io/v1/</c> → docker.io; <c>http://host:5000/</c> → host:5000; a bare host stays.</summary>
    public static string DomainOf(string server)
    {
        string host = Uri.TryCreate(server, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.Authority : server.TrimEnd('/');
        return host is "" or "index.docker.io" or RegistryEndpoint.HubHost ? RegistryEndpoint.HubDomain : host;
    }

    public void Dispose() => Transport.Dispose();
}
