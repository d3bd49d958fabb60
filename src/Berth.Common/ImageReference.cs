using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Berth.Common;

/// <summary>
/// An image reference normalised the way Docker does it (distribution/reference): <see cref="Parse"/> is
/// ParseNormalizedNamed followed by TagNameOnly (<c>busybox</c> is <c>docker.io/library/busybox:latest</c>), as the
/// engine stores and looks up images; <see cref="TryParseNamed"/> keeps a missing tag missing, as the CLI needs for
/// its messages ("Unable to find image 'busybox:latest' locally" comes from <see cref="WithDefaultTag"/>).
/// </summary>
public sealed partial class ImageReference : IEquatable<ImageReference>
{
    public const string DefaultDomain = "docker.io";
    public const string DefaultTag = "latest";
    private const string LegacyDefaultDomain = "index.docker.io";
    private const string OfficialRepoPrefix = "library/";
    private const int NameTotalLengthMax = 255;

    private ImageReference(string domain, string path, string? tag, string? digest)
    {
        Domain = domain;
        Path = path;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry host, with its port when there is one: <c>docker.io</c>, <c>localhost:5000</c>.</summary>
    public string Domain { get; }

    /// <summary>The repository path inside the registry: <c>library/busybox</c>, <c>team/app</c>.</summary>
    public string Path { get; }

    public string? Tag { get; }

    /// <summary>The content digest (<c>sha256:…</c>) when the reference pins one.</summary>
    public string? Digest { get; }

    /// <summary>The full repository name: <c>docker.io/library/busybox</c>.</summary>
    public string Name => $"{Domain}/{Path}";

    /// <summary>The repository name as the CLI shows it: <c>busybox</c>, <c>user/app</c>, <c>localhost:5000/x</c>.</summary>
    public string FamiliarName
    {
        get
        {
            if (Domain != DefaultDomain)
                return Name;
            bool official = Path.StartsWith(OfficialRepoPrefix, StringComparison.Ordinal) && Path.IndexOf('/', OfficialRepoPrefix.Length) < 0;
            return official ? Path[OfficialRepoPrefix.Length..] : Path;
        }
    }

    /// <summary>The reference as the CLI shows it: <c>busybox:latest</c>.</summary>
    public string FamiliarString => FamiliarName + Suffix;

    /// <summary>The full form: <c>docker.io/library/busybox:latest</c>.</summary>
    public override string ToString() => Name + Suffix;

    private string Suffix => (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    public static ImageReference Parse(string reference) =>
        TryParse(reference, out var result, out string? error) ? result : throw new InvalidImageReferenceException(reference, error);

    public static bool TryParse(string? reference, [NotNullWhen(true)] out ImageReference? result) =>
        TryParse(reference ?? "", out result, out _);

    /// <summary>ParseNormalizedNamed alone: no tag stays no tag. <paramref name="error"/> is distribution/reference's reason.</summary>
    public static bool TryParseNamed(string reference, [NotNullWhen(true)] out ImageReference? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        error = Validate(reference, out string domain, out string path, out string? tag, out string? digest);
        if (error is not null)
            return false;
        result = new ImageReference(domain, path, tag, digest);
        return true;
    }

    /// <summary>The same reference with ":latest" when it has neither tag nor digest (TagNameOnly).</summary>
    public ImageReference WithDefaultTag() => Tag is null && Digest is null ? new ImageReference(Domain, Path, DefaultTag, null) : this;

    /// <summary>The same repository with another tag and no digest.</summary>
    public ImageReference WithTag(string tag) =>
        TagPattern().IsMatch(tag) ? new ImageReference(Domain, Path, tag, null) : throw new InvalidImageReferenceException(tag, "invalid tag");

    /// <summary>The same repository pinned to <paramref name="digest"/>, without a tag (how Docker records RepoDigests).</summary>
    public ImageReference WithDigest(string digest) =>
        IsValidDigest(digest, out string? error) ? new ImageReference(Domain, Path, null, digest) : throw new InvalidImageReferenceException(digest, error);

    public bool Equals(ImageReference? other) => other is not null && ToString() == other.ToString();

    public override bool Equals(object? obj) => Equals(obj as ImageReference);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    private static bool TryParse(string s, [NotNullWhen(true)] out ImageReference? result, [NotNullWhen(false)] out string? error)
    {
        bool valid = TryParseNamed(s, out result, out error);
        result = result?.WithDefaultTag();
        return valid;
    }

    private static string? Validate(string s, out string domain, out string path, out string? tag, out string? digest)
    {
        domain = path = "";
        tag = digest = null;
        if (s.Length == 0)
            return "repository name must have at least one component";
        if (IdentifierPattern().IsMatch(s))
            return "invalid repository name, cannot specify 64-byte hexadecimal strings";
        string rest = s;
        int at = rest.IndexOf('@');
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!IsValidDigest(digest, out string? digestError))
                return digestError;
        }
        int colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern().IsMatch(tag))
                return "invalid tag";
        }
        (domain, path) = SplitDomain(rest);
        return ValidateName(domain, path);
    }

    /// <summary>splitDockerDomain: the first component is a registry only if it looks like a host.</summary>
    private static (string Domain, string Path) SplitDomain(string name)
    {
        int slash = name.IndexOf('/');
        string domain, path;
        if (slash < 0 || (name.AsSpan(0, slash).IndexOfAny('.', ':') < 0 && name[..slash] != "localhost" && name[..slash].ToLowerInvariant() == name[..slash]))
            (domain, path) = (DefaultDomain, name);
        else
            (domain, path) = (name[..slash], name[(slash + 1)..]);
        if (domain == LegacyDefaultDomain)
            domain = DefaultDomain;
        if (domain == DefaultDomain && !path.Contains('/'))
            path = OfficialRepoPrefix + path;
        return (domain, path);
    }

    private static string? ValidateName(string domain, string path)
    {
        if (path.ToLowerInvariant() != path)
            return $"repository name ({path}) must be lowercase";
        if (!DomainPattern().IsMatch(domain))
            return "invalid registry domain";
        if (!PathPattern().IsMatch(path))
            return "invalid repository name";
        if (domain.Length + 1 + path.Length > NameTotalLengthMax)
            return $"repository name must not be more than {NameTotalLengthMax} characters";
        return null;
    }

    /// <summary>go-digest: a registered algorithm and lowercase hex of that algorithm's length.</summary>
    private static bool IsValidDigest(string digest, [NotNullWhen(false)] out string? error)
    {
        error = null;
        int colon = digest.IndexOf(':');
        string algorithm = colon < 0 ? "" : digest[..colon];
        int length = algorithm switch { "sha256" => 64, "sha384" => 96, "sha512" => 128, _ => 0 };
        string hex = colon < 0 ? "" : digest[(colon + 1)..];
        if (length == 0)
            error = "unsupported or missing digest algorithm";
        else if (hex.Length != length || !LowerHexPattern().IsMatch(hex))
            error = "invalid digest";
        return error is null;
    }

    // The grammar of distribution/reference (regexp.go).
    [GeneratedRegex(@"^[a-f0-9]{64}\z")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex(@"^[a-f0-9]+\z")]
    private static partial Regex LowerHexPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\z")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?\z")]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*\z")]
    private static partial Regex PathPattern();
}
