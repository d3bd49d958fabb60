using System.CommandLine;
using System.IO.Pipelines;
using System.Text.Json;
using Berth.Cli.Api;
using Berth.Cli.Api.Wire;
using Berth.Cli.CommandLine;
using Berth.Cli.Files;
using Berth.Cli.Streams;
using Berth.Http;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth cp [-a] [-L] [-q] CONTAINER:SRC DEST|-</c> and <c>berth cp SRC|- CONTAINER:DEST</c>, as docker/cli cp.go:
/// from a container, GET /containers/{name}/archive?path= (HEAD first with -L) and the tar extracted locally by
/// docker's rules, never outside the destination, or written to stdout with "-"; to a container, HEAD for the
/// destination (a symlink followed once), the local source tarred (or stdin's tar with "-") and
/// PUT /containers/{name}/archive?noOverwriteDirNonDir=true&amp;path=. With a terminal on stdout berth reports
/// "Successfully copied SIZE to DEST" on stderr (no progress: docker 28 never draws its own, see <see cref="CopyProgress"/>).
/// </summary>
public sealed class CpCommand : Verb
{
    private const string StatHeader = "X-Docker-Container-Path-Stat";

    private readonly Option<bool> _archive = Flags.Bool("--archive", "-a", "Archive mode (copy all uid/gid information)");
    private readonly Option<bool> _followLink = Flags.Bool("--follow-link", "-L", "Always follow symbol link in SRC_PATH");
    private readonly Option<bool> _quiet = Flags.Bool("--quiet", "-q", "Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached");

    public CpCommand() : base("cp", "cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
        "Copy files/folders between a container and the local filesystem", ArgsRule.Exactly(2))
    {
    }

    protected override void AddOptions(Command command)
    {
        command.Options.Add(_archive);
        command.Options.Add(_followLink);
        command.Options.Add(_quiet);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var args = Positionals(parse);
        if (args[0].Length == 0)
            throw new CliException(1, "source can not be empty");
        if (args[1].Length == 0)
            throw new CliException(1, "destination can not be empty");
        bool quiet = parse.GetResult(_quiet) is { Implicit: false } ? parse.GetValue(_quiet) : !context.Console.StdoutIsTerminal;
        var (sourceContainer, sourcePath) = CopyPaths.SplitArgument(args[0]);
        var (destinationContainer, destinationPath) = CopyPaths.SplitArgument(args[1]);
        try
        {
            if (sourceContainer.Length > 0 && destinationContainer.Length > 0)
                throw new CliException(1, "copying between containers is not supported");
            if (sourceContainer.Length > 0)
                await FromContainerAsync(context, sourceContainer, sourcePath, destinationPath, parse.GetValue(_followLink), quiet, cancellationToken);
            else if (destinationContainer.Length > 0)
                await ToContainerAsync(context, sourcePath, destinationContainer, destinationPath, parse.GetValue(_followLink), parse.GetValue(_archive), quiet, cancellationToken);
            else
                throw new CliException(1, "must specify at least one container source");
        }
        catch (CopyException e)
        {
            throw new CliException(1, e.Message, e);
        }
        return 0;
    }

    private static async Task FromContainerAsync(VerbContext context, string container, string sourcePath, string destinationPath, bool followLink,
        bool quiet, CancellationToken cancellationToken)
    {
        var console = context.Console;
        if (destinationPath != "-")
            destinationPath = CopyPaths.ResolveLocal(destinationPath);
        ValidateOutputPath(destinationPath);
        var client = await context.ConnectAsync(cancellationToken);
        string rebaseName = "";
        if (followLink && await TryStatAsync(client, container, sourcePath, cancellationToken) is { IsSymlink: true } link)
        {
            string target = link.LinkTarget;
            if (!GoPath.IsAbs(target))
                target = GoPath.Join(CopyPaths.SplitPathDirEntry(sourcePath).Dir, target);
            (sourcePath, rebaseName) = CopyPaths.GetRebaseName(sourcePath, target);
        }

        using var response = await client.SendCheckedAsync(
            new HttpClientRequest("GET", client.Versioned($"/containers/{QueryString.EscapePath(container)}/archive{new QueryString().Set("path", sourcePath)}")),
            cancellationToken);
        var stat = DecodeStat(response.Headers.Get(StatHeader)) ?? throw new CliException(1, "unable to get resource stat from response: unable to decode container path stat header");
        if (destinationPath == "-")
        {
            await response.Body.CopyToAsync(console.StdoutStream, cancellationToken);
            return;
        }

        var source = new CopyInfo(sourcePath, Exists: true, IsDir: stat.IsDir, RebaseName: rebaseName);
        var destination = CopyPaths.DestinationInfo(destinationPath);
        var (directory, rebase) = CopyPaths.PrepareArchiveCopy(source, destination);
        string sourceBase = CopyPaths.SplitPathDirEntry(source.Path).Base;
        string Rename(string name)
        {
            if (rebaseName.Length > 0)
                name = CopyPaths.Rebase(name, sourceBase, rebaseName);
            return rebase is var (from, to) ? CopyPaths.Rebase(name, from, to) : name;
        }

        var progress = quiet ? null : new CopyProgress();
        var content = progress is null ? response.Body : new ProgressReadStream(response.Body, progress.Report);
        using (var extractor = LocalExtractor.Open(directory))
            await extractor.ExtractAsync(content, Rename, cancellationToken);
        // Go's tar reader consumes the end-of-archive blocks that .NET's leaves: they count in "copied" too.
        await content.CopyToAsync(Stream.Null, cancellationToken);
        if (progress is not null)
            await console.Err.WriteLineAsync($"Successfully copied {CopyProgress.Size(progress.Total)} to {destinationPath}");
    }

    private static async Task ToContainerAsync(VerbContext context, string sourcePath, string container, string destinationPath, bool followLink,
        bool copyUidGid, bool quiet, CancellationToken cancellationToken)
    {
        var console = context.Console;
        if (sourcePath != "-")
            sourcePath = CopyPaths.ResolveLocal(sourcePath);
        var client = await context.ConnectAsync(cancellationToken);
        var destination = new CopyInfo(destinationPath);
        var stat = await TryStatAsync(client, container, destinationPath, cancellationToken);
        if (stat is { IsSymlink: true })
        {
            string target = stat.LinkTarget;
            if (!GoPath.IsAbs(target))
                target = GoPath.Join(CopyPaths.SplitPathDirEntry(destinationPath).Dir, target);
            destination = destination with { Path = target };
            stat = await TryStatAsync(client, container, target, cancellationToken);
        }
        if (stat is not null && FileModeProblem(stat.Mode) is { } problem)
            throw new CliException(1, $"destination \"{container}:{destinationPath}\" must be a directory or a regular file: {problem}");
        if (stat is not null)
            destination = destination with { Exists = true, IsDir = stat.IsDir };

        Stream content;
        string resolvedDestination;
        Task? writing = null;
        var pipe = new Pipe();
        if (sourcePath == "-")
        {
            if (!destination.IsDir)
                throw new CliException(1, $"destination \"{container}:{destinationPath}\" must be a directory");
            content = console.StdinStream;
            resolvedDestination = destination.Path;
        }
        else
        {
            var source = CopyPaths.SourceInfo(sourcePath, followLink);
            var (directory, rebase) = CopyPaths.PrepareArchiveCopy(source, destination);
            resolvedDestination = directory;
            Func<string, string> rename = rebase is var (from, to) ? name => CopyPaths.Rebase(name, from, to) : name => name;
            writing = WriteArchiveAsync(source, rename, pipe.Writer, cancellationToken);
            content = pipe.Reader.AsStream();
        }

        var progress = quiet || sourcePath == "-" ? null : new CopyProgress();
        var query = new QueryString().Set("path", resolvedDestination).Set("noOverwriteDirNonDir", "true");
        if (copyUidGid)
            query.Set("copyUIDGID", "true");
        var request = new HttpClientRequest("PUT", client.Versioned($"/containers/{QueryString.EscapePath(container)}/archive{query}"))
        {
            ContentStream = progress is null ? content : new ProgressReadStream(content, progress.Report),
        };
        request.Headers.Set("Content-Type", "text/plain");
        try
        {
            using var response = await client.SendCheckedAsync(request, cancellationToken);
            await response.ReadAsBytesAsync(cancellationToken);
        }
        finally
        {
            await pipe.Reader.CompleteAsync();
        }
        if (writing is not null)
            await writing;
        if (progress is not null)
            await console.Err.WriteLineAsync($"Successfully copied {CopyProgress.Size(progress.Total)} to {container}:{destination.Path}");
    }

    private static async Task WriteArchiveAsync(CopyInfo source, Func<string, string> rename, PipeWriter writer, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await LocalArchive.WriteAsync(source, rename, writer.AsStream(leaveOpen: true), cancellationToken);
            await writer.CompleteAsync();
        }
        catch (Exception e)
        {
            await writer.CompleteAsync(e);
            if (e is not (InvalidOperationException or OperationCanceledException))
                throw;
        }
    }

    /// <summary>HEAD /containers/{name}/archive?path=; null when the daemon has no such path (or answers with an error).</summary>
    private static async Task<PathStat?> TryStatAsync(DaemonClient client, string container, string path, CancellationToken cancellationToken)
    {
        using var response = await client.SendAsync(
            new HttpClientRequest("HEAD", client.Versioned($"/containers/{QueryString.EscapePath(container)}/archive{new QueryString().Set("path", path)}")),
            cancellationToken);
        return response.StatusCode < 400 ? DecodeStat(response.Headers.Get(StatHeader)) : null;
    }

    /// <summary>The base64 JSON of the X-Docker-Container-Path-Stat header.</summary>
    public static PathStat? DecodeStat(string? header)
    {
        if (string.IsNullOrEmpty(header))
            return null;
        try
        {
            return JsonSerializer.Deserialize(Convert.FromBase64String(header), CliJsonContext.Default.PathStat);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>command.ValidateOutputPathFileMode: "got a device" or "got an irregular file".</summary>
    private static string? FileModeProblem(uint mode) =>
        (mode & PathStat.ModeDevice) != 0 ? "got a device" : (mode & PathStat.ModeIrregular) != 0 ? "got an irregular file" : null;

    /// <summary>
    /// command.ValidateOutputPath: the parent must exist; an existing path (its symlinks followed) must not be a device.
    /// Go marks no other Linux file type irregular, so a pipe or a socket passes, as with docker.
    /// </summary>
    private static void ValidateOutputPath(string path)
    {
        string directory = GoPath.Dir(GoPath.Clean(path));
        if (directory is not ("" or ".") && !Path.Exists(directory))
            throw new CliException(1, $"invalid output path: directory \"{directory}\" does not exist");
        if (!Path.Exists(path) || Directory.Exists(path))
            return;
        string target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        if (Berth.Interop.Sys.TryLstat(target, out var status) && status.FileType is Berth.Interop.FileStat.S_IFBLK or Berth.Interop.FileStat.S_IFCHR)
            throw new CliException(1, $"invalid output path: \"{path}\" must be a directory or a regular file: got a device");
    }
}
