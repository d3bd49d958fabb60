using System.Text;

namespace Berth.Cli.Files;

/// <summary>Go's path/filepath on Unix, whose exact results docker cp's path rules depend on.</summary>
public static class GoPath
{
    /// <summary>filepath.Clean: one slash between elements, no "." elements, ".." folded into its parent, "/.." is "/", "" is ".".</summary>
    public static string Clean(string path)
    {
        if (path.Length == 0)
            return ".";
        bool rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (string part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
                continue;
            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                    parts.RemoveAt(parts.Count - 1);
                else if (!rooted)
                    parts.Add("..");
                continue;
            }
            parts.Add(part);
        }
        string joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    /// <summary>filepath.Dir: everything before the last slash, cleaned.</summary>
    public static string Dir(string path)
    {
        int slash = path.LastIndexOf('/');
        return Clean(path[..(slash + 1)]);
    }

    /// <summary>filepath.Base: the last element after trailing slashes are removed; "." for "", "/" for slashes only.</summary>
    public static string Base(string path)
    {
        if (path.Length == 0)
            return ".";
        path = path.TrimEnd('/');
        if (path.Length == 0)
            return "/";
        return path[(path.LastIndexOf('/') + 1)..];
    }

    /// <summary>filepath.Split: the directory with its trailing slash, and the file name.</summary>
    public static (string Dir, string File) Split(string path)
    {
        int slash = path.LastIndexOf('/');
        return (path[..(slash + 1)], path[(slash + 1)..]);
    }

    /// <summary>filepath.Join: the non-empty elements joined by slashes, cleaned; "" when all are empty.</summary>
    public static string Join(params string[] elements)
    {
        var text = new StringBuilder();
        foreach (string element in elements)
        {
            if (element.Length == 0)
                continue;
            if (text.Length > 0)
                text.Append('/');
            text.Append(element);
        }
        return text.Length == 0 ? "" : Clean(text.ToString());
    }

    public static bool IsAbs(string path) => path.StartsWith('/');

    /// <summary>filepath.Abs: joined to the working directory when relative, cleaned.</summary>
    public static string Abs(string path) => IsAbs(path) ? Clean(path) : Join(Environment.CurrentDirectory, path);
}
