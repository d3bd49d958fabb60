using System.Diagnostics.CodeAnalysis;

namespace Berth.Common;

/// <summary>
/// Normalises tar entry names to a relative path without "." or empty components ("" is the root).
/// Absolute names and any ".." component are refused outright rather than cleaned: a well-formed
/// image never has them, and a cleaned "../x" would silently land somewhere the author did not mean.
/// </summary>
public static class EntryPath
{
    public static bool TryNormalise(string name, out string path, [NotNullWhen(false)] out string? problem)
    {
        path = "";
        problem = name.Length == 0 ? "has an empty name"
            : name.Contains('\0') ? "has a NUL byte in its name"
            : name.StartsWith('/') ? "has an absolute path"
            : null;
        if (problem is not null)
            return false;
        var parts = new List<string>();
        foreach (string part in name.Split('/'))
        {
            if (part == "..")
            {
                problem = "has a `..` component";
                return false;
            }
            if (part.Length > 0 && part != ".")
                parts.Add(part);
        }
        path = string.Join('/', parts);
        return true;
    }

    /// <summary>Splits a normalised path into its parent ("" at the top) and last component.</summary>
    public static (string Parent, string Name) Split(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? ("", path) : (path[..slash], path[(slash + 1)..]);
    }

    public static string Join(string parent, string name) => parent.Length == 0 ? name : parent + "/" + name;
}
