namespace Berth.Registry;

/// <summary>What went wrong talking to a registry, as moby's errdefs classify it (and so the API status).</summary>
public enum RegistryErrorKind
{
    /// <summary>A bad reference or a manifest Berth refuses (400).</summary>
    InvalidParameter,

    /// <summary>Credentials missing or refused (401).</summary>
    Unauthorized,

    /// <summary>No such repository, tag, manifest or blob (404).</summary>
    NotFound,

    /// <summary>Unreachable, 5xx, rate limited, timed out, or content that failed verification (500).</summary>
    Unavailable,
}
