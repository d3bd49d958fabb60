namespace Berth.Engine.Cgroups;

/// <summary>The names the drivers accept as one path component of a cgroup: container ids and the parent name.</summary>
internal static class CgroupNames
{
    /// <summary>Only <c>[a-zA-Z0-9_.-]</c>, 1 to 255 characters, no leading dot, so a name never leaves its parent directory.</summary>
    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= 255
        && name[0] != '.'
        && name.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '.' or '-');

    public static void Validate(string? name, string what)
    {
        if (!IsValid(name))
            throw new ArgumentException($"invalid {what} `{name}`: only letters, digits, `_`, `.` and `-` are allowed, not starting with `.`");
    }
}
