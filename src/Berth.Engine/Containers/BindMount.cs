namespace Berth.Engine.Containers;

/// <summary>A `-v SRC:DST[:OPTIONS]` bind mount of a host path.</summary>
public sealed record BindMount(string Source, string Destination, bool ReadOnly)
{
    private static readonly HashSet<string> IgnoredOptions = ["rw", "z", "Z", "rprivate", "private", "rslave", "slave", "rshared", "shared", "nocopy"];

    public static BindMount Parse(string bind)
    {
        string[] parts = bind.Split(':');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || parts[1].Length == 0)
            throw new InvalidParameterException($"invalid volume specification: '{bind}'");
        string source = parts[0], destination = parts[1];
        if (!source.StartsWith('/'))
            throw new InvalidParameterException($"invalid volume specification: '{bind}': named volumes are not supported yet, the source must be an absolute host path");
        if (!destination.StartsWith('/'))
            throw new InvalidParameterException($"invalid volume specification: '{bind}': mount path must be absolute");
        if (destination == "/")
            throw new InvalidParameterException($"invalid volume specification: '{bind}': destination can't be '/'");
        bool readOnly = false;
        if (parts.Length == 3)
        {
            foreach (string option in parts[2].Split(','))
            {
                if (option == "ro")
                    readOnly = true;
                else if (!IgnoredOptions.Contains(option))
                    throw new InvalidParameterException($"invalid volume specification: '{bind}': unknown option '{option}'");
            }
        }
        return new BindMount(Normalize(source), Normalize(destination), readOnly);
    }

    private static string Normalize(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
}
