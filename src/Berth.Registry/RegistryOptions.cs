namespace Berth.Registry;

/// <summary>The daemon's registry settings, as dockerd's: insecure registries, certificates, concurrency.</summary>
public sealed class RegistryOptions
{
    /// <summary>Hosts (<c>host:port</c>) or CIDRs allowed without verified TLS, falling back to plain HTTP (`insecure-registries`).</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>
    /// dockerd always adds 127.0.0.0/8 and ::1 to the insecure registries (registry/config.go); this is that rule.
    /// Off only to test that verified TLS on loopback really verifies.
    /// </summary>
    public bool LoopbackIsInsecure { get; init; } = true;

    /// <summary>Per-registry trust, as /etc/docker/certs.d: <c>&lt;dir&gt;/&lt;host:port&gt;/{*.crt, client.cert, client.key}</c>.</summary>
    public string? CertsDirectory { get; init; }

    /// <summary>Layers downloaded at once per pull (dockerd's max-concurrent-downloads, 3).</summary>
    /// <summary>`--registry-mirror`: base URLs (http or https) tried in order for docker.io pulls before Docker Hub itself.</summary>
    public IReadOnlyList<Uri> Mirrors { get; init; } = [];

    public int MaxConcurrentDownloads { get; init; } = 3;

    /// <summary>Layers uploaded at once per push (dockerd's max-concurrent-uploads, 5).</summary>
    public int MaxConcurrentUploads { get; init; } = 5;

    /// <summary>Attempts for a request that fails with a connection error, a timeout, a 5xx or a 429.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The first retry's delay; each next one doubles it.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a request may wait for the response head (a stalled registry fails instead of hanging).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
