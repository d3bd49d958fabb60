using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Berth.Common;
using Berth.Engine.Archive;
using Berth.Engine.Containers;
using Berth.Engine.Images;
using Berth.Interop;

namespace Berth.Engine.Build;

/// <summary>
/// COPY and ADD (moby's dispatchCopy/performCopy): sources from the context (wildcards, directories copied by their
/// contents, .dockerignore honoured), from another stage or image (<c>--from</c>), heredocs, and for ADD URLs and local
/// tar archives (extracted). The files are written as one tar, owned by root or <c>--chown</c>, with <c>--chmod</c>'s
/// mode, and put into the step's container with the archive API (whose extraction never leaves the container's root).
/// </summary>
internal sealed partial class BuildRun
{
    private static readonly HttpClient Http = new();

    private sealed record Source(string Kind, string Path, bool IsDirectory, string? File = null, string? Name = null, DateTimeOffset? Mtime = null);

    private async Task CopyAsync(BuildStage stage, DockerfileInstruction instruction, bool add, CancellationToken ct)
    {
        string keyword = instruction.Keyword;
        string? from = null, chown = null, chmod = null;
        foreach (var flag in instruction.Flags)
        {
            string value = Word(stage, instruction, flag.Value ?? "");
            switch (flag.Key)
            {
                case "from" when !add:
                    from = value;
                    break;
                case "chown":
                    chown = value.Length > 0 ? value : null;
                    break;
                case "chmod":
                    chmod = value.Length > 0 ? value : null;
                    break;
                default:
                    throw new DockerfileException(instruction.Line, $"unknown flag: {flag.Key}");
            }
        }
        var words = Words(stage, instruction);
        if (words.Count < 2)
            throw new DockerfileException(instruction.Line, $"{keyword} requires at least two arguments, but only one was provided. Destination could not be determined.");
        string dest = words[^1];
        bool destIsDirectory = dest.EndsWith('/') || dest is "." or ".." || dest.EndsWith("/.", StringComparison.Ordinal);
        string destination = PatternMatcher.Clean(dest.StartsWith('/') ? dest : "/" + (stage.Config.WorkingDir ?? "/").Trim('/') + "/" + dest);
        int? mode = null;
        if (chmod is not null)
        {
            try
            {
                mode = Convert.ToInt32(chmod, 8);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                throw new DockerfileException(instruction.Line, $"invalid chmod parameter: {chmod}");
            }
        }

        var sources = new List<Source>();
        string hash;
        BuildStage? fromStage = null;
        Image? fromImage = null;
        if (from is not null)
        {
            int current = _stages.IndexOf(stage);
            if (int.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                fromStage = index < current ? _stages[index] : throw new DockerfileException(instruction.Line, $"invalid from flag value {from}: refers to current build stage");
            else
                fromStage = _stages.Take(current).LastOrDefault(s => s.Name == from.ToLowerInvariant());
            fromImage = fromStage is not null ? fromStage.Image : await BaseImageAsync(from, instruction.Line, ct);
            if (fromImage is null)
                throw new BuildStepFailedException($"{keyword} failed: stage {from} has no filesystem");
            foreach (string source in words[..^1])
                sources.Add(new Source("image", "/" + PatternMatcher.Clean(source.TrimStart('/')).TrimStart('.', '/'), false));
            hash = "from:" + fromImage.Id + ":" + string.Join(',', sources.Select(s => s.Path));
        }
        else
        {
            var parts = new List<string>();
            foreach (string source in words[..^1])
            {
                if (instruction.Heredocs.FirstOrDefault(h => source.TrimStart('<', '-').Trim('"', '\'') == h.Name && source.StartsWith("<<", StringComparison.Ordinal)) is { } heredoc)
                {
                    string content = heredoc.Expand ? Word(stage, instruction, "\"" + heredoc.Content.Replace("\"", "\\\"") + "\"") : heredoc.Content;
                    string file = TempFile();
                    await File.WriteAllTextAsync(file, content, ct);
                    sources.Add(new Source("file", file, false, file, heredoc.Name));
                    parts.Add("heredoc:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content))));
                }
                else if (add && (source.StartsWith("http://", StringComparison.Ordinal) || source.StartsWith("https://", StringComparison.Ordinal)))
                {
                    var (file, name, mtime) = await DownloadAsync(source, ct);
                    sources.Add(new Source("url", file, false, file, name, mtime));
                    await using var stream = File.OpenRead(file);
                    parts.Add("url:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct)));
                }
                else
                {
                    foreach (string match in context.Match(source, keyword))
                    {
                        string? host = context.Resolve(match);
                        sources.Add(new Source("context", match, host is not null && Directory.Exists(host) && !new FileInfo(host).Attributes.HasFlag(FileAttributes.ReparsePoint)));
                    }
                }
            }
            var contextSources = sources.Where(s => s.Kind == "context").ToList();
            if (contextSources.Count > 0)
            {
                string kind = sources.Count > 1 ? "multi" : contextSources[0].IsDirectory ? "dir" : "file";
                parts.Insert(0, kind + ":" + context.Checksum(contextSources.Select(s => s.Path)));
            }
            hash = string.Join(',', parts);
        }
        if (sources.Count > 1 && !destIsDirectory)
            throw new BuildStepFailedException($"When using {keyword} with more than one source file, the destination must be a directory and end with a /");

        string flags = (chown is not null ? $"--chown={chown} " : "") + (chmod is not null ? $"--chmod={chmod} " : "");
        string createdBy = $"{string.Join(' ', Shell(stage))} #(nop) {keyword} {flags}{hash} in {dest} ";
        string tar = TempFile();
        try
        {
            await CommitAsync(stage, createdBy, stage.Config, ct,
                work: async id =>
                {
                    var owner = chown is null ? from is null ? (0, 0) : ((int, int)?)null : await OwnerAsync(id, chown, instruction.Line, ct);
                    string target = await ResolveAsync(id, destination, ct);
                    await WriteTarAsync(tar, sources, target, destIsDirectory, add, owner, mode, fromImage, path => StatAsync(id, path, ct), ct);
                    await using var stream = File.OpenRead(tar);
                    await builder.Engine.Files.PutArchiveAsync(id, "/", stream, ct: ct);
                },
                scratchLayer: async () =>
                {
                    var owner = chown is null ? from is null ? (0, 0) : ((int, int)?)null : ParseNumericOwner(chown, instruction.Line);
                    await WriteTarAsync(tar, sources, destination, destIsDirectory, add, owner, mode, fromImage, _ => Task.FromResult<PathStat?>(null), ct);
                    return File.OpenRead(tar);
                });
        }
        finally
        {
            File.Delete(tar);
            foreach (var source in sources.Where(s => s.File is not null))
                File.Delete(source.File!);
        }
    }

    /// <summary>WORKDIR's directory, created (0755, root) with its missing parents when it does not exist.</summary>
    private async Task MakeDirectoryAsync(string id, string path, int uid, int gid, CancellationToken ct)
    {
        path = await ResolveAsync(id, path, ct);
        if (path == "/" || await StatAsync(id, path, ct) is not null)
            return;
        string tar = TempFile();
        try
        {
            await using (var file = File.Create(tar))
            await using (var writer = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: true))
            {
                var missing = new List<string>();
                for (string p = path; p != "/" && await StatAsync(id, p, ct) is null; p = ParentOf(p))
                    missing.Insert(0, p);
                foreach (string directory in missing)
                    await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, directory.TrimStart('/') + "/")
                    {
                        Mode = (UnixFileMode)0x1ED, Uid = uid, Gid = gid, ModificationTime = DateTimeOffset.UtcNow,
                    }, ct);
            }
            await using var stream = File.OpenRead(tar);
            await builder.Engine.Files.PutArchiveAsync(id, "/", stream, ct: ct);
        }
        finally
        {
            File.Delete(tar);
        }
    }

    /// <summary>
    /// The path with its symlinked directories resolved inside the container (/bin -> usr/bin on a merged-/usr base),
    /// as moby's copier follows them: the archive extractor never writes through a symlink, so the tar names the
    /// resolved directories. A last component that links to a file is kept (it is replaced, not followed); the part
    /// that does not exist yet is kept as it is.
    /// </summary>
    private async Task<string> ResolveAsync(string id, string path, CancellationToken ct)
    {
        string resolved = "/";
        string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < parts.Length; i++)
        {
            string next = Join(resolved, parts[i]);
            var stat = await StatAsync(id, next, ct);
            if (stat is null)
                return parts.Skip(i + 1).Aggregate(next, Join);
            if ((stat.Mode & GoFileMode.Symlink) != 0 && stat.LinkTarget.Length > 0
                && (i < parts.Length - 1 || await StatAsync(id, stat.LinkTarget, ct) is { IsDirectory: true }))
                next = stat.LinkTarget;
            resolved = next;
        }
        return resolved;
    }

    private string TempFile() => context.Root + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    private async Task<PathStat?> StatAsync(string id, string path, CancellationToken ct)
    {
        try
        {
            return await builder.Engine.Files.StatPathAsync(id, path, ct);
        }
        catch (ContainerPathNotFoundException)
        {
            return null;
        }
    }

    private async Task WriteTarAsync(string tarPath, List<Source> sources, string destination, bool destIsDirectory, bool add, (int Uid, int Gid)? owner, int? mode,
        Image? fromImage, Func<string, Task<PathStat?>> stat, CancellationToken ct)
    {
        // A single file onto an existing directory goes into it (moby's copier).
        if (!destIsDirectory && sources is [{ IsDirectory: false, Kind: not "image" }] && await stat(destination) is { IsDirectory: true })
            destIsDirectory = true;
        await using var file = File.Create(tarPath);
        await using var writer = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: true);
        // The directories up to the destination that do not exist yet, created 0755 (owned as the copied files).
        string top = destIsDirectory || sources.Any(s => s.IsDirectory) ? destination : ParentOf(destination);
        var missing = new List<string>();
        for (string path = top; path != "/"; path = ParentOf(path))
        {
            if (await stat(path) is not null)
                break;
            missing.Insert(0, path);
        }
        foreach (string directory in missing)
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, directory.TrimStart('/') + "/")
            {
                Mode = (UnixFileMode)0x1ED, Uid = owner?.Uid ?? 0, Gid = owner?.Gid ?? 0, ModificationTime = DateTimeOffset.UtcNow,
            }, ct);
        }
        foreach (var source in sources)
        {
            switch (source.Kind)
            {
                case "context":
                {
                    string host = context.Resolve(source.Path)!;
                    string relative = Path.GetRelativePath(context.Root, host).Replace('\\', '/');
                    if (source.IsDirectory)
                    {
                        foreach (string path in context.Walk(relative == "." ? "" : relative).Where(p => !context.IsIgnored(p)))
                            await AddHostAsync(writer, Path.Combine(context.Root, path), Join(destination, path[(relative == "." ? 0 : relative.Length + 1)..]), owner, mode, ct);
                    }
                    else
                    {
                        string name = destIsDirectory ? Join(destination, System.IO.Path.GetFileName(source.Path)) : destination;
                        if (add && await TryExtractAsync(writer, host, destIsDirectory ? destination : destination, ct))
                            break;
                        await AddHostAsync(writer, host, name, owner, mode, ct);
                    }
                    break;
                }
                case "file" or "url":
                {
                    string name = destIsDirectory ? Join(destination, source.Name!) : destination;
                    await AddHostAsync(writer, source.File!, name, owner, mode ?? (source.Kind == "url" ? 0x180 : 0x1A4), ct, source.Mtime);
                    break;
                }
                case "image":
                    await CopyFromImageAsync(writer, fromImage!, source.Path, destination, destIsDirectory, owner, mode, ct);
                    break;
            }
        }
    }

    private static string ParentOf(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    private static string Join(string directory, string name) => directory == "/" ? "/" + name : directory + "/" + name;

    private static async Task AddHostAsync(TarWriter writer, string host, string name, (int Uid, int Gid)? owner, int? mode, CancellationToken ct, DateTimeOffset? mtime = null)
    {
        if (!Sys.TryLstat(host, out var status))
            return;
        string entryName = name.TrimStart('/');
        PaxTarEntry entry;
        if (status.IsDirectory)
            entry = new PaxTarEntry(TarEntryType.Directory, entryName + "/");
        else if (status.IsRegularFile)
            entry = new PaxTarEntry(TarEntryType.RegularFile, entryName);
        else if (status.IsSymlink)
            entry = new PaxTarEntry(TarEntryType.SymbolicLink, entryName) { LinkName = new FileInfo(host).LinkTarget ?? "" };
        else
            return;
        entry.Mode = (UnixFileMode)(mode ?? (int)(status.Permissions & 0xFFF));
        entry.Uid = owner?.Uid ?? 0;
        entry.Gid = owner?.Gid ?? 0;
        entry.ModificationTime = mtime ?? status.Mtime;
        if (status.IsRegularFile)
        {
            await using var data = File.OpenRead(host);
            entry.DataStream = data;
            await writer.WriteEntryAsync(entry, ct);
        }
        else
            await writer.WriteEntryAsync(entry, ct);
    }

    /// <summary>ADD of a local tar archive (plain, gzip, bzip2, xz, zstd): its entries extracted at the destination, owners kept.</summary>
    private static async Task<bool> TryExtractAsync(TarWriter writer, string host, string destination, CancellationToken ct)
    {
        var head = new byte[512];
        int n;
        await using (var probe = File.OpenRead(host))
            n = await probe.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        Func<Stream, Stream>? open = head.AsSpan(0, n) switch
        {
            [0x1F, 0x8B, ..] => s => new GZipStream(s, CompressionMode.Decompress),
            [(byte)'B', (byte)'Z', (byte)'h', ..] => s => SharpCompress.Compressors.BZip2.BZip2Stream.Create(s, SharpCompress.Compressors.CompressionMode.Decompress, true),
            [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00, ..] => s => new SharpCompress.Compressors.Xz.XZStream(s),
            [0x28, 0xB5, 0x2F, 0xFD, ..] => s => new SharpCompress.Compressors.ZStandard.DecompressionStream(s, bufferSize: 0, checkEndOfStream: true, leaveOpen: false),
            _ when n >= 262 && Encoding.ASCII.GetString(head, 257, 5) == "ustar" => s => s,
            _ => null,
        };
        if (open is null)
            return false;
        try
        {
            await using var file = File.OpenRead(host);
            await using var input = open(file);
            await using var reader = new TarReader(input);
            var entries = new List<TarEntry>();
            while (await reader.GetNextEntryAsync(copyData: true, ct) is { } entry)
            {
                if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
                    continue;
                await writer.WriteEntryAsync(Renamed(entry, Join(destination, entry.Name.TrimStart('/')).TrimStart('/'), null, null, destination), ct);
            }
            return true;
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or SharpCompress.Common.SharpCompressException)
        {
            // Not an archive after all (a file that only starts like one): copied as it is, as moby does.
            return false;
        }
    }

    private static PaxTarEntry Renamed(TarEntry entry, string name, (int Uid, int Gid)? owner, int? mode, string destination)
    {
        var copy = new PaxTarEntry(entry.EntryType is TarEntryType.V7RegularFile ? TarEntryType.RegularFile : entry.EntryType, name)
        {
            Mode = mode is { } m ? (UnixFileMode)m : entry.Mode,
            Uid = owner?.Uid ?? entry.Uid,
            Gid = owner?.Gid ?? entry.Gid,
            ModificationTime = entry.ModificationTime,
        };
        if (entry.EntryType is TarEntryType.SymbolicLink)
            copy.LinkName = entry.LinkName;
        else if (entry.EntryType is TarEntryType.HardLink)
            copy.LinkName = Join(destination, entry.LinkName.TrimStart('/')).TrimStart('/');
        if (entry.DataStream is { } data)
            copy.DataStream = data;
        return copy;
    }

    /// <summary>COPY --from: the path read from the other image through a container that is never started (docker cp's archive).</summary>
    private async Task CopyFromImageAsync(TarWriter writer, Image image, string path, string destination, bool destIsDirectory, (int Uid, int Gid)? owner, int? mode, CancellationToken ct)
    {
        var source = Containers.Create(null, new ContainerConfig { Image = image.Id, Cmd = ["/nonexistent"], Entrypoint = [""] }, new HostConfig { NetworkMode = "none" });
        string archive = TempFile();
        try
        {
            PathStat stat;
            await using (var file = File.Create(archive))
            {
                try
                {
                    stat = await builder.Engine.Files.GetArchiveAsync(source.Id, path, file, ct);
                }
                catch (ContainerPathNotFoundException)
                {
                    throw new BuildStepFailedException($"COPY failed: stat {path}: file does not exist");
                }
            }
            string baseName = stat.Name;
            await using var input = File.OpenRead(archive);
            await using var reader = new TarReader(input);
            while (await reader.GetNextEntryAsync(copyData: true, ct) is { } entry)
            {
                string name = entry.Name.TrimEnd('/');
                string rest = name == baseName ? "" : name[(baseName.Length + 1)..];
                string target;
                if (stat.IsDirectory)
                {
                    if (rest.Length == 0)
                        continue;
                    target = Join(destination, rest);
                }
                else
                    target = destIsDirectory ? Join(destination, baseName) : destination;
                var renamed = Renamed(entry, target.TrimStart('/') + (entry.EntryType == TarEntryType.Directory ? "/" : ""), owner, mode, destination);
                if (entry.EntryType is TarEntryType.HardLink)
                    renamed.LinkName = Join(destination, entry.LinkName.TrimEnd('/') is var l && l.StartsWith(baseName + "/", StringComparison.Ordinal) ? l[(baseName.Length + 1)..] : l).TrimStart('/');
                await writer.WriteEntryAsync(renamed, ct);
            }
        }
        finally
        {
            File.Delete(archive);
            await Containers.RemoveAsync(source.Id, force: true, CancellationToken.None, removeVolumes: true);
        }
    }

    private async Task<(string File, string Name, DateTimeOffset Mtime)> DownloadAsync(string url, CancellationToken ct)
    {
        string file = TempFile();
        using var response = await Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
            throw new BuildStepFailedException($"failed to GET {url} with status {(int)response.StatusCode} {response.ReasonPhrase}");
        await using (var output = File.Create(file))
            await response.Content.CopyToAsync(output, ct);
        string name = System.IO.Path.GetFileName(new Uri(url).AbsolutePath);
        return (file, name.Length > 0 ? name : "__unnamed__", response.Content.Headers.LastModified ?? DateTimeOffset.UnixEpoch);
    }

    /// <summary>--chown=user[:group] by id or by name (looked up in the container's /etc/passwd and /etc/group).</summary>
    private async Task<(int, int)> OwnerAsync(string id, string chown, int line, CancellationToken ct)
    {
        string[] parts = chown.Split(':', 2);
        string user = parts[0];
        string group = parts.Length > 1 ? parts[1] : parts[0];
        int uid = int.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out int u) ? u
            : Lookup(await ReadContainerFileAsync(id, "/etc/passwd", ct), user) ?? throw new BuildStepFailedException($"unable to convert uid/gid chown string to host mapping: can't find uid for user {user}: no such user: {user}");
        int gid = int.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out int g) ? g
            : Lookup(await ReadContainerFileAsync(id, "/etc/group", ct), group) ?? throw new BuildStepFailedException($"unable to convert uid/gid chown string to host mapping: can't find gid for group {group}: no such group: {group}");
        _ = line;
        return (uid, gid);
    }

    private static (int, int) ParseNumericOwner(string chown, int line)
    {
        string[] parts = chown.Split(':', 2);
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int uid)
            || !int.TryParse(parts.Length > 1 ? parts[1] : parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int gid))
            throw new DockerfileException(line, $"--chown={chown}: a stage FROM scratch has no /etc/passwd, use numeric ids");
        return (uid, gid);
    }

    /// <summary>The id (third field) of <paramref name="name"/> in a passwd or group file.</summary>
    private static int? Lookup(string? file, string name)
    {
        foreach (string line in (file ?? "").Split('\n'))
        {
            string[] fields = line.Split(':');
            if (fields.Length > 2 && fields[0] == name && int.TryParse(fields[2], CultureInfo.InvariantCulture, out int id))
                return id;
        }
        return null;
    }

    private async Task<string?> ReadContainerFileAsync(string id, string path, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        try
        {
            await builder.Engine.Files.GetArchiveAsync(id, path, buffer, ct);
        }
        catch (ContainerPathNotFoundException)
        {
            return null;
        }
        buffer.Position = 0;
        await using var reader = new TarReader(buffer);
        if (await reader.GetNextEntryAsync(copyData: true, ct) is not { DataStream: { } data })
            return null;
        using var text = new StreamReader(data);
        return await text.ReadToEndAsync(ct);
    }
}
