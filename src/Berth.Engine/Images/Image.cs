namespace Berth.Engine.Images;

/// <summary>A snapshot of a stored image: its config, layers and the references that pointed at it when it was taken.</summary>
public sealed class Image
{
    /// <summary><c>sha256:&lt;hex&gt;</c> of the config blob.</summary>
    public required string Id { get; init; }

    /// <summary>Tags in familiar form: <c>busybox:latest</c>.</summary>
    public required IReadOnlyList<string> RepoTags { get; init; }

    /// <summary>Digest references in familiar form: <c>busybox@sha256:…</c>.</summary>
    public required IReadOnlyList<string> RepoDigests { get; init; }

    public required ImageConfig Config { get; init; }

    /// <summary>sha256 of each uncompressed layer, bottom first.</summary>
    public required IReadOnlyList<string> DiffIds { get; init; }

    /// <summary>The ChainID of each layer, bottom first; the last one names the whole stack.</summary>
    public required IReadOnlyList<string> ChainIds { get; init; }

    /// <summary>From the config; the Unix epoch when the config has none.</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>Sum of the unpacked layers' regular file bytes.</summary>
    public required long Size { get; init; }

    public required DateTimeOffset LoadedAt { get; init; }

    /// <summary>When a tag was last pointed at it by tag, commit or import; null when never.</summary>
    public DateTimeOffset? LastTagTime { get; init; }

    /// <summary>The manifest digest, when the archive had a manifest blob.</summary>
    public string? ManifestDigest { get; init; }

    /// <summary>The image a build step or commit made this one on, if any.</summary>
    public string? Parent { get; init; }

    /// <summary>The first 12 hex digits of the ID, as the CLI shows it.</summary>
    public string ShortId => Digest.Short(Id);
}
