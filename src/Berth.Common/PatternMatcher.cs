using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Common;

/// <summary>
/// The <c>.dockerignore</c> matcher (moby/patternmatcher): patterns are cleaned paths relative to the context, matched
/// in order, the last matching one winning; <c>!pattern</c> re-includes; <c>*</c> and <c>?</c> never cross a <c>/</c>,
/// <c>**</c> matches any number of directories (also none), <c>[...]</c> a character class, <c>\</c> escapes the next
/// character. A path is also matched when one of its parent directories matches (so <c>dir</c> excludes
/// <c>dir/file</c>). A bad pattern is an <see cref="ArgumentException"/>.
/// </summary>
public sealed class PatternMatcher
{
    private readonly List<(Regex Regex, bool Exclusion, string Cleaned)> _patterns = [];

    public PatternMatcher(IEnumerable<string> patterns)
    {
        foreach (string raw in patterns)
        {
            string pattern = raw.Trim();
            if (pattern.Length == 0)
                continue;
            bool exclusion = pattern[0] == '!';
            if (exclusion)
            {
                if (pattern.Length == 1)
                    throw new ArgumentException("illegal exclusion pattern: \"!\"");
                pattern = pattern[1..];
            }
            pattern = Clean(pattern);
            _patterns.Add((Compile(pattern), exclusion, pattern));
        }
    }

    /// <summary>True when some pattern is an exclusion (<c>!</c>): an excluded directory may then still hold included files.</summary>
    public bool HasExclusions => _patterns.Any(p => p.Exclusion);

    /// <summary>The exclusion patterns' cleaned text, for deciding whether an excluded directory must still be walked.</summary>
    public IEnumerable<string> Exclusions => _patterns.Where(p => p.Exclusion).Select(p => p.Cleaned);

    /// <summary>moby's MatchesOrParentMatches: whether <paramref name="path"/> (relative, <c>/</c>-separated) is excluded.</summary>
    public bool Matches(string path)
    {
        path = Clean(path);
        bool matched = false;
        string parent = DirectoryOf(path);
        string[] parentDirs = parent.Split('/');
        foreach (var (regex, exclusion, _) in _patterns)
        {
            if (exclusion != matched)
                continue;
            bool match = regex.IsMatch(path);
            if (!match && parent != ".")
            {
                for (int i = 0; i < parentDirs.Length && !match; i++)
                    match = regex.IsMatch(string.Join('/', parentDirs[..(i + 1)]));
            }
            if (match)
                matched = !exclusion;
        }
        return matched;
    }

    /// <summary>The lines of a <c>.dockerignore</c> as moby's ignorefile.ReadAll gives them: comments and blanks dropped, paths cleaned, a leading <c>/</c> removed.</summary>
    public static List<string> ReadIgnoreFile(string text)
    {
        var patterns = new List<string>();
        if (text.StartsWith('\uFEFF'))
            text = text[1..];
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith('#'))
                continue;
            string pattern = line.Trim();
            if (pattern.Length == 0)
                continue;
            bool invert = pattern[0] == '!';
            if (invert)
                pattern = pattern[1..].Trim();
            if (pattern.Length > 0)
            {
                pattern = Clean(pattern);
                if (pattern.Length > 1 && pattern[0] == '/')
                    pattern = pattern[1..];
            }
            patterns.Add(invert ? "!" + pattern : pattern);
        }
        return patterns;
    }

    /// <summary>Go's filepath.Clean: no doubled or trailing slashes, no "." parts, ".." folded.</summary>
    public static string Clean(string path)
    {
        if (path.Length == 0)
            return ".";
        bool rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (string part in path.Split('/'))
        {
            if (part is "" or ".")
                continue;
            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
                parts.RemoveAt(parts.Count - 1);
            else if (part == ".." && rooted)
                continue;
            else
                parts.Add(part);
        }
        string joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    private static string DirectoryOf(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : path[..slash];
    }

    private static Regex Compile(string pattern)
    {
        var regex = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char ch = pattern[i];
            if (ch == '*')
            {
                if (i + 1 < pattern.Length && pattern[i + 1] == '*')
                {
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                        i++;
                    regex.Append(i + 1 >= pattern.Length ? ".*" : "(.*/)?");
                }
                else
                    regex.Append("[^/]*");
            }
            else if (ch == '?')
                regex.Append("[^/]");
            else if (ch is '.' or '+' or '(' or ')' or '|' or '{' or '}' or '$' or '^')
                regex.Append('\\').Append(ch);
            else if (ch == '\\')
            {
                if (i + 1 < pattern.Length)
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                else
                    regex.Append(@"\\");
            }
            else
                regex.Append(ch);
        }
        regex.Append('$');
        try
        {
            return new Regex(regex.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"syntax error in pattern `{pattern}`: {e.Message}", e);
        }
    }
}
