using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Berth.Common;
using Berth.Engine.Archive;
using Berth.Engine.Images;
using Berth.Interop;
using static Tmds.Linux.LibC;

namespace Berth.Engine.Build;

/// <summary>
/// The build context, as the client sent it: its tar (plain, gzip or zstd) extracted with the engine's safe
/// extraction (<see cref="ArchiveExtractor"/>: nothing lands outside the directory) into a private directory that
/// goes with the build, and its <c>.dockerignore</c>. Sources are resolved inside it only: <c>..</c> cannot leave it
/// and a symlink on the way is followed as if the context were the root (moby's FollowSymlinkInScope).
/// </summary>
public sealed partial class BuildContext : IDisposable
{
    private readonly PatternMatcher _ignore;

    private BuildContext(string root, PatternMatcher ignore)
    {
        Root = root;
        _ignore = ignore;
    }

    public string Root { get; }

    public static async Task<BuildContext> ExtractAsync(Stream tar, string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        try
        {
            if (!Sys.TryOpen(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, out var destination))
                throw new IOException($"the build context directory `{directory}` cannot be opened");
            using (destination)
            await using (var input = ImageArchiveReader.Decompress(tar))
                await new ArchiveExtractor(destination, noOverwriteDirNonDir: false).ExtractAsync(input, ct);
            string ignoreFile = Path.Combine(directory, ".dockerignore");
            var patterns = File.Exists(ignoreFile) && !new FileInfo(ignoreFile).Attributes.HasFlag(FileAttributes.ReparsePoint)
                ? PatternMatcher.ReadIgnoreFile(await File.ReadAllTextAsync(ignoreFile, ct))
                : [];
            PatternMatcher matcher;
            try
            {
                matcher = new PatternMatcher(patterns);
            }
            catch (ArgumentException e)
            {
                throw new DockerfileException(0, $"error checking context: {e.Message}");
            }
            return new BuildContext(directory, matcher);
        }
        catch
        {
            Delete(directory);
            throw;
        }
    }

    /// <summary>The Dockerfile's text: <paramref name="name"/> inside the context, "Dockerfile" then "dockerfile" by default.</summary>
    public string ReadDockerfile(string? name)
    {
        string[] candidates = string.IsNullOrEmpty(name) || name == "Dockerfile" ? ["Dockerfile", "dockerfile"] : [name];
        foreach (string candidate in candidates)
        {
            if (Resolve(candidate) is { } path && File.Exists(path))
                return File.ReadAllText(path);
        }
        throw new DockerfileException(0, $"Cannot locate specified Dockerfile: {(string.IsNullOrEmpty(name) ? "Dockerfile" : name)}");
    }

    public bool IsIgnored(string relative) => relative is not ("" or ".") && _ignore.Matches(relative);

    /// <summary>
    /// The context paths a COPY/ADD source names, relative to the context root: one for a plain path, every match for a
    /// wildcard (Go's filepath.Match per path, <c>*</c> not crossing <c>/</c>). Excluded paths are not found.
    /// </summary>
    public List<string> Match(string source, string instruction)
    {
        string cleaned = PatternMatcher.Clean(source.TrimStart('/'));
        if (cleaned == ".." || cleaned.StartsWith("../", StringComparison.Ordinal))
            throw new BuildStepFailedException($"{instruction} failed: forbidden path outside the build context: {source} ()");
        if (cleaned.IndexOfAny(['*', '?', '[']) < 0)
        {
            if (Resolve(cleaned) is null || IsIgnored(cleaned))
                throw new BuildStepFailedException($"{instruction} failed: file not found in build context or excluded by .dockerignore: stat {source}: file does not exist");
            return [cleaned == "." ? "" : cleaned];
        }
        var pattern = new Regex("^" + GlobToRegex(cleaned) + "$", RegexOptions.Singleline);
        var matches = Walk("").Where(p => pattern.IsMatch(p) && !IsIgnored(p)).ToList();
        if (matches.Count == 0)
            throw new BuildStepFailedException($"{instruction} failed: no source files were specified");
        return matches;
    }

    /// <summary>The host path of a context path with its symlinks resolved inside the context; null when it does not exist.</summary>
    public string? Resolve(string relative)
    {
        var parts = new Queue<string>(PatternMatcher.Clean(relative).Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "."));
        var resolved = new List<string>();
        int links = 0;
        while (parts.Count > 0)
        {
            string part = parts.Dequeue();
            if (part == "..")
            {
                if (resolved.Count > 0)
                    resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            string path = Path.Combine(Root, Path.Combine([.. resolved, part]));
            if (!Sys.TryLstat(path, out var status))
                return null;
            if (!status.IsSymlink)
            {
                resolved.Add(part);
                continue;
            }
            if (++links > 255)
                return null;
            string target = new FileInfo(path).LinkTarget ?? "";
            if (target.StartsWith('/'))
                resolved.Clear();
            var rest = parts.ToList();
            parts = new Queue<string>(target.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").Concat(rest));
        }
        return Path.Combine(Root, Path.Combine([.. resolved]));
    }

    /// <summary>Every path below <paramref name="relative"/> (itself excluded), parents first, in name order; symlinks not followed.</summary>
    public IEnumerable<string> Walk(string relative)
    {
        string directory = relative.Length == 0 ? Root : Path.Combine(Root, relative);
        foreach (string name in Directory.GetFileSystemEntries(directory).Select(e => Path.GetFileName(e)).Order(StringComparer.Ordinal))
        {
            string child = relative.Length == 0 ? name : relative + "/" + name;
            yield return child;
            if (Sys.TryLstat(Path.Combine(Root, child), out var status) && status.IsDirectory)
                foreach (string below in Walk(child))
                    yield return below;
        }
    }

    /// <summary>
    /// moby's source checksum for the cache: sha256 over each entry's header fields (name, mode, uid, gid, size, type,
    /// link target; not the mtime) and content, for every file below the sources.
    /// </summary>
    public string Checksum(IEnumerable<string> sources)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        foreach (string source in sources)
        {
            var all = new List<string> { source };
            string? host = Resolve(source);
            if (host is not null && Directory.Exists(host))
                all.AddRange(Walk(source).Where(p => !IsIgnored(p)));
            foreach (string path in all)
            {
                string file = path == source && host is not null ? host : Path.Combine(Root, path);
                if (!Sys.TryLstat(file, out var status))
                    continue;
                string link = status.IsSymlink ? new FileInfo(file).LinkTarget ?? "" : "";
                hash.AppendData(Encoding.UTF8.GetBytes($"{path}\0{status.Mode}\0{status.Size}\0{link}\0"));
                if (status.IsRegularFile)
                {
                    using var stream = File.OpenRead(file);
                    int n;
                    while ((n = stream.Read(buffer)) > 0)
                        hash.AppendData(buffer, 0, n);
                }
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public void Dispose() => Delete(Root);

    private static void Delete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp dir is removed with the next daemon start's cleanup of the build directory.
        }
    }

    /// <summary>Go's filepath.Match syntax: <c>*</c> and <c>?</c> never match <c>/</c>; <c>[...]</c> classes, <c>[^...]</c>/<c>[!...]</c> negated.</summary>
    internal static string GlobToRegex(string pattern)
    {
        var regex = new StringBuilder();
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[':
                    int end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                        throw new BuildStepFailedException($"syntax error in pattern: {pattern}");
                    string cls = pattern[(i + 1)..end];
                    if (cls.StartsWith('!'))
                        cls = "^" + cls[1..];
                    regex.Append('[').Append(cls.Replace("\\", "\\\\")).Append(']');
                    i = end;
                    break;
                case '\\' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        return regex.ToString();
    }
}
