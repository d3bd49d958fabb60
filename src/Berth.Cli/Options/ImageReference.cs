using System.Text.RegularExpressions;

namespace Berth.Cli.Options;

/// <summary>
/// An image reference as docker's <c>distribution/reference</c> normalizes it: "busybox" is
/// docker.io/library/busybox, "registry:5000/team/app:v1" keeps its domain. Used for the pull request
/// (<c>fromImage</c> and <c>tag</c>), the "Unable to find image 'busybox:latest' locally" line and the
/// short names docker tables show.
/// </summary>
public sealed partial class ImageReference
{
    private const string DefaultDomain = "docker.io";
    private const string OfficialRepositoryPrefix = "library/";

    private ImageReference(string domain, string path, string? tag, string? digest)
    {
        Domain = domain;
        Path = path;
        Tag = tag;
        Digest = digest;
    }

    public string Domain { get; }

    /// <summary>The repository path within the domain ("library/busybox").</summary>
    public string Path { get; }

    public string? Tag { get; }

    public string? Digest { get; }

    /// <summary>The full name without tag or digest: "docker.io/library/busybox".</summary>
    public string Name => Domain + "/" + Path;

    /// <summary>The short name: "busybox", "team/app", "registry:5000/team/app".</summary>
    public string FamiliarName
    {
        get
        {
            if (Domain != DefaultDomain)
                return Name;
            return Path.StartsWith(OfficialRepositoryPrefix, StringComparison.Ordinal) && Path.IndexOf('/', OfficialRepositoryPrefix.Length) < 0
                ? Path[OfficialRepositoryPrefix.Length..]
                : Path;
        }
    }

    /// <summary>"busybox:latest", "busybox@sha256:…".</summary>
    public string FamiliarString => FamiliarName + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <summary>The same reference with ":latest" when it has neither tag nor digest (reference.TagNameOnly).</summary>
    public ImageReference WithDefaultTag() => Tag is null && Digest is null ? new ImageReference(Domain, Path, "latest", null) : this;

    /// <summary>The <c>tag</c> query value of a pull: the digest, else the tag, else "latest".</summary>
    public string ApiTag => Digest ?? Tag ?? "latest";

    /// <summary>reference.ParseNormalizedNamed.</summary>
    public static ImageReference Parse(string text)
    {
        if (!TryParse(text, out var reference, out string? error))
            throw new FormatException(error);
        return reference;
    }

    public static bool TryParse(string text, out ImageReference reference, out string? error)
    {
        reference = null!;
        error = null;
        string remainder = text;
        string? digest = null;
        int at = remainder.IndexOf('@');
        if (at >= 0)
        {
            digest = remainder[(at + 1)..];
            remainder = remainder[..at];
            if (!DigestPattern().IsMatch(digest))
            {
                error = "invalid reference format";
                return false;
            }
        }
        string? tag = null;
        int colon = remainder.LastIndexOf(':');
        if (colon > remainder.LastIndexOf('/'))
        {
            tag = remainder[(colon + 1)..];
            remainder = remainder[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                error = "invalid reference format";
                return false;
            }
        }
        string domain = DefaultDomain;
        string path = remainder;
        int slash = remainder.IndexOf('/');
        if (slash >= 0)
        {
            string first = remainder[..slash];
            if (first.Contains('.') || first.Contains(':') || first == "localhost" || first.Any(char.IsAsciiLetterUpper))
            {
                domain = first;
                path = remainder[(slash + 1)..];
            }
        }
        if (domain == "index.docker.io")
            domain = DefaultDomain;
        if (domain == DefaultDomain && !path.Contains('/'))
            path = OfficialRepositoryPrefix + path;
        if (path.Any(char.IsAsciiLetterUpper))
        {
            error = $"invalid reference format: repository name ({path}) must be lowercase";
            return false;
        }
        if (path.Length == 0 || !path.Split('/').All(PathComponentPattern().IsMatch) || !DomainPattern().IsMatch(domain))
        {
            error = "invalid reference format";
            return false;
        }
        reference = new ImageReference(domain, path, tag, digest);
        return true;
    }

    public override string ToString() => Name + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$")]
    private static partial Regex PathComponentPattern();

    [GeneratedRegex(@"^[\w][\w.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$")]
    private static partial Regex DigestPattern();

    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$")]
    private static partial Regex DomainPattern();
}
