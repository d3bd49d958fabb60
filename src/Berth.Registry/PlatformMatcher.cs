using System.Runtime.InteropServices;

namespace Berth.Registry;

/// <summary>
/// Picks an index entry as Docker does (containerd platforms.Only): the requested platform or the host's
/// (<c>linux/amd64</c>, <c>linux/arm64/v8</c>), an entry without variant matching any variant, exact variants first.
/// </summary>
public static class PlatformMatcher
{
    public static ManifestPlatform Host => new()
    {
        Os = "linux",
        Architecture = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            Architecture.Arm => "arm",
            Architecture.X86 => "386",
            Architecture.S390x => "s390x",
            Architecture.Ppc64le => "ppc64le",
            Architecture.RiscV64 => "riscv64",
            var other => other.ToString().ToLowerInvariant(),
        },
        Variant = RuntimeInformation.OSArchitecture switch
        {
            Architecture.Arm64 => "v8",
            Architecture.Arm => "v7",
            _ => null,
        },
    };

    /// <summary><c>os/arch[/variant]</c>; null for an empty string.</summary>
    public static ManifestPlatform? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        string[] parts = text.Trim().ToLowerInvariant().Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
            throw new RegistryException(RegistryErrorKind.InvalidParameter, $"\"{text}\": unknown operating system or architecture: invalid argument");
        return new ManifestPlatform { Os = parts[0], Architecture = parts[1], Variant = parts.Length == 3 ? parts[2] : null };
    }

    public static ManifestDescriptor? Select(IEnumerable<ManifestDescriptor> manifests, ManifestPlatform wanted)
    {
        var candidates = manifests
            .Where(m => m.Platform is { } p && p.Os == wanted.Os && p.Architecture == wanted.Architecture && MediaTypes.IsImageManifest(m.MediaType ?? MediaTypes.OciManifest))
            .ToList();
        return candidates.FirstOrDefault(m => m.Platform!.Variant == wanted.Variant)
            ?? candidates.FirstOrDefault(m => m.Platform!.Variant is null || wanted.Variant is null)
            ?? (wanted.Architecture == "arm64" ? candidates.FirstOrDefault() : null);
    }
}
