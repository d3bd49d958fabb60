namespace Berth.Engine.Containers;

/// <summary>
/// One entry of HostConfig.Binds, docker's `-v [SRC:]DST[:MODE]` (moby's linux_parser ParseMountRaw): an absolute
/// source is a host path, any other source names a volume (created on first use), no source at all is an
/// anonymous volume. MODE is a comma list of at most one each of ro|rw, z|Z, nocopy and a propagation.
/// </summary>
public sealed record BindMount(string Source, string Destination, bool ReadOnly)
{
    private static readonly HashSet<string> Propagations = ["private", "rprivate", "shared", "rshared", "slave", "rslave"];

    /// <summary>The mode as written (inspect's Mode).</summary>
    public string Mode { get; init; } = "";

    /// <summary>`nocopy`: an empty volume is not filled with the image's files.</summary>
    public bool NoCopy { get; init; }

    public string Propagation { get; init; } = "";

    /// <summary>The source is a volume name (or empty: an anonymous volume), not a host path.</summary>
    public bool IsVolume => !Source.StartsWith('/');

    public static BindMount Parse(string bind)
    {
        string[] parts = bind.Split(':');
        if (parts.Length > 3 || parts.Any(p => p.Length == 0) || (parts.Length == 2 && IsMode(parts[1])))
            throw new InvalidParameterException($"invalid volume specification: '{bind}'");
        string source = parts.Length == 1 ? "" : parts[0];
        string destination = parts.Length == 1 ? parts[0] : parts[1];
        if (!destination.StartsWith('/'))
            throw new InvalidParameterException($"invalid volume specification: '{bind}': invalid mount config for type \"{(source.StartsWith('/') ? "bind" : "volume")}\": invalid mount path: '{destination}' mount path must be absolute");
        if (Normalize(destination) == "/")
            throw new InvalidParameterException($"invalid volume specification: '{bind}': invalid mount config for type \"bind\": invalid specification: destination can't be '/'");
        string mode = parts.Length == 3 ? parts[2] : "";
        bool readOnly = false, noCopy = false;
        string propagation = "";
        var seen = new HashSet<string>();
        foreach (string option in mode.Length == 0 ? [] : mode.Split(','))
        {
            string kind = option switch
            {
                "ro" or "rw" => "rw",
                "z" or "Z" => "label",
                "nocopy" => "copy",
                _ when Propagations.Contains(option) => "propagation",
                _ => throw new InvalidParameterException($"invalid mode: {mode}"),
            };
            if (!seen.Add(kind))
                throw new InvalidParameterException($"invalid mode: {mode}");
            readOnly |= option == "ro";
            noCopy |= option == "nocopy";
            if (kind == "propagation")
                propagation = option;
        }
        bool isVolume = !source.StartsWith('/');
        if (isVolume && propagation.Length > 0)
            throw new InvalidParameterException($"invalid volume specification: '{bind}': invalid mount config for type \"volume\": propagation is only for bind mounts");
        if (!isVolume && noCopy)
            throw new InvalidParameterException($"invalid volume specification: '{bind}': invalid mount config for type \"bind\": nocopy is only for volumes");
        return new BindMount(isVolume ? source : Normalize(source), Normalize(destination), readOnly)
        {
            Mode = mode,
            NoCopy = noCopy,
            Propagation = propagation,
        };
    }

    private static bool IsMode(string text) => text.Split(',').All(o => o is "ro" or "rw" or "z" or "Z" or "nocopy" || Propagations.Contains(o));

    private static string Normalize(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
}
