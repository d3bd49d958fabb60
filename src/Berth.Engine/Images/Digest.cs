using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Berth.Engine.Images;

/// <summary>sha256 content digests in their OCI string form, <c>sha256:&lt;64 lowercase hex&gt;</c>.</summary>
internal static class Digest
{
    public const string Sha256Prefix = "sha256:";

    public static string Of(ReadOnlySpan<byte> data) => FromHash(SHA256.HashData(data));

    public static string FromHash(ReadOnlySpan<byte> hash) => Sha256Prefix + Convert.ToHexStringLower(hash);

    public static bool IsSha256(string? digest) =>
        digest is not null && digest.StartsWith(Sha256Prefix, StringComparison.Ordinal) && IsHex(digest.AsSpan(Sha256Prefix.Length), 64);

    /// <summary>The hex part of a sha256 digest; anything else is a format error naming <paramref name="what"/>.</summary>
    public static string Hex(string? digest, string what) =>
        IsSha256(digest) ? digest![Sha256Prefix.Length..] : throw new ImageFormatException($"{what} has an unsupported or malformed digest `{digest}` (expected sha256:<64 hex digits>)");

    /// <summary>The digest a name carries: <c>blobs/sha256/&lt;hex&gt;</c> (OCI layout) or <c>&lt;hex&gt;.json</c> (a pre-25 `docker save` config).</summary>
    public static bool TryFromArchiveName(string name, [NotNullWhen(true)] out string? digest)
    {
        ReadOnlySpan<char> hex = name.StartsWith("blobs/sha256/", StringComparison.Ordinal) ? name.AsSpan("blobs/sha256/".Length)
            : name.EndsWith(".json", StringComparison.Ordinal) ? name.AsSpan(0, name.Length - ".json".Length)
            : default;
        digest = IsHex(hex, 64) ? Sha256Prefix + hex.ToString() : null;
        return digest is not null;
    }

    /// <summary>Lowercase hex of the given length (any length when <paramref name="length"/> is 0, but at least one digit).</summary>
    public static bool IsHex(ReadOnlySpan<char> s, int length = 0) =>
        (length == 0 ? s.Length > 0 : s.Length == length) && !s.ContainsAnyExcept("0123456789abcdef");

    /// <summary>The short form the CLI shows: the first 12 hex digits.</summary>
    public static string Short(string digest) =>
        digest.StartsWith(Sha256Prefix, StringComparison.Ordinal) && digest.Length >= Sha256Prefix.Length + 12 ? digest.Substring(Sha256Prefix.Length, 12) : digest;
}
