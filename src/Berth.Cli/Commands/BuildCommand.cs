using System.CommandLine;
using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Cli.Output;
using Berth.Common;
using Berth.Http;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth build [OPTIONS] PATH | -</c>: the docker CLI's classic build (DOCKER_BUILDKIT=0). The context directory is
/// tarred (owned by root, as docker sends it) without what its <c>.dockerignore</c> excludes (the Dockerfile and the
/// .dockerignore itself always go), a Dockerfile outside the context or from stdin (<c>-f -</c>) is added under a
/// random name; the tar is POSTed to <c>/build</c> and the daemon's stream printed. A failed step's message goes to
/// stderr and the exit code is the step's (a RUN's exit code), as docker's.
/// </summary>
public sealed class BuildCommand : Verb
{
    private readonly Option<string[]> _tags = Flags.List("--tag", "-t", "Name and optionally a tag in the \"name:tag\" format");
    private readonly Option<string> _file = Flags.String("--file", "-f", "Name of the Dockerfile (Default is \"PATH/Dockerfile\")");
    private readonly Option<string[]> _buildArgs = Flags.List("--build-arg", null, "Set build-time variables");
    private readonly Option<string[]> _labels = Flags.List("--label", null, "Set metadata for an image");
    private readonly Option<string> _target = Flags.String("--target", null, "Set the target build stage to build.");
    private readonly Option<bool> _noCache = Flags.Bool("--no-cache", null, "Do not use cache when building the image");
    private readonly Option<bool> _quiet = Flags.Bool("--quiet", "-q", "Suppress the build output and print image ID on success");
    private readonly Option<string> _iidFile = Flags.String("--iidfile", null, "Write the image ID to the file");
    private readonly Option<bool> _rm = new("--rm") { Description = "Remove intermediate containers after a successful build", DefaultValueFactory = _ => true };
    private readonly Option<bool> _forceRm = Flags.Bool("--force-rm", null, "Always remove intermediate containers");
    private readonly Option<string> _network = Flags.String("--network", null, "Set the networking mode for the RUN instructions during build");
    private readonly Option<bool> _pull = Flags.Bool("--pull", null, "Always attempt to pull a newer version of the image");
    private readonly Option<string> _platform = Flags.String("--platform", null, "Set platform if server is multi-platform capable");
    private readonly Option<string[]> _addHost = Flags.List("--add-host", null, "Add a custom host-to-IP mapping (\"host:ip\")");

    public BuildCommand() : base("build", "build [OPTIONS] PATH | URL | -", "Build an image from a Dockerfile", ArgsRule.Exactly(1))
    {
    }

    protected override void AddOptions(Command command)
    {
        foreach (var option in new Option[] { _tags, _file, _buildArgs, _labels, _target, _noCache, _quiet, _iidFile, _rm, _forceRm, _network, _pull, _platform, _addHost })
            command.Options.Add(option);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var console = context.Console;
        string path = Positionals(parse)[0];
        string file = parse.GetValue(_file) ?? "";
        bool quiet = parse.GetValue(_quiet);
        string iidFile = parse.GetValue(_iidFile) ?? "";
        if (iidFile.Length > 0 && File.Exists(iidFile))
            File.Delete(iidFile);
        if (path.Contains("://", StringComparison.Ordinal) || path.StartsWith("git@", StringComparison.Ordinal))
            throw new CliException(1, "unable to prepare context: remote contexts (URL, git) are not supported by berth build: give a directory or -");

        var query = new QueryString();
        foreach (string tag in parse.GetValue(_tags) ?? [])
        {
            if (!CliReference.TryParse(tag, out _, out string? error))
                throw new CliException(1, $"invalid argument \"{tag}\" for \"-t, --tag\" flag: {error ?? "invalid reference format"}");
            query.Add("t", tag);
        }
        string tarPath = Path.Combine(Path.GetTempPath(), "berth-build-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + ".tar");
        try
        {
            string dockerfileName;
            await using (var tar = File.Create(tarPath))
                dockerfileName = await WriteContextAsync(tar, path, file, console, cancellationToken);
            query.Set("dockerfile", dockerfileName);
            if (BuildArgs(parse.GetValue(_buildArgs) ?? [], context.Environment) is { Length: > 0 } args)
                query.Set("buildargs", args);
            if (Labels(parse.GetValue(_labels) ?? []) is { Length: > 0 } labels)
                query.Set("labels", labels);
            if (parse.GetValue(_target) is { Length: > 0 } target)
                query.Set("target", target);
            if (parse.GetValue(_noCache))
                query.Set("nocache", "1");
            if (!parse.GetValue(_rm))
                query.Set("rm", "0");
            if (parse.GetValue(_forceRm))
                query.Set("forcerm", "1");
            if (parse.GetValue(_pull))
                query.Set("pull", "1");
            if (quiet)
                query.Set("q", "1");
            if (parse.GetValue(_network) is { Length: > 0 } network)
                query.Set("networkmode", network);
            if (parse.GetValue(_platform) is { Length: > 0 } platform)
                query.Set("platform", platform);
            foreach (string host in parse.GetValue(_addHost) ?? [])
                query.Add("extrahosts", host);

            long size = new FileInfo(tarPath).Length;
            if (!quiet)
                await console.Out.WriteAsync($"Sending build context to Docker daemon  {HumanUnits.Size(size)}\n");
            var client = await context.ConnectAsync(cancellationToken);
            await using var body = File.OpenRead(tarPath);
            var request = new HttpClientRequest("POST", client.Versioned("/build" + query)) { ContentStream = body };
            request.Headers.Set("Content-Type", "application/x-tar");
            using var response = await client.SendCheckedAsync(request, cancellationToken);
            var (imageId, failure, text) = await RenderAsync(response.Body, console.Out, cancellationToken);
            if (failure is { } failed)
            {
                await console.Out.FlushAsync(cancellationToken);
                await console.Err.WriteAsync(failed.Message + "\n");
                return failed.Code == 0 ? 1 : failed.Code;
            }
            // With -q the docker CLI writes the daemon's whole output, "sha256:…\n", to the iidfile; else the aux ID.
            if (iidFile.Length > 0 && (quiet ? text : imageId) is { Length: > 0 } written)
                await File.WriteAllTextAsync(iidFile, written, cancellationToken);
            return 0;
        }
        finally
        {
            File.Delete(tarPath);
        }
    }

    /// <summary>The stream text as it comes (also returned), the last aux ID kept; the error message and code of a failed build.</summary>
    private static async Task<(string? ImageId, (string Message, int Code)? Failure, string Text)> RenderAsync(Stream body, TextWriter output, CancellationToken ct)
    {
        using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        string? imageId = null;
        var text = new StringBuilder();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
                continue;
            var message = JsonSerializer.Deserialize(line, ApiJsonContext.Default.JsonMessage);
            if (message is null)
                continue;
            if (message.ErrorDetail is not null || !string.IsNullOrEmpty(message.Error))
                return (imageId, (message.ErrorDetail?.Message is { Length: > 0 } m ? m : message.Error ?? "", message.ErrorDetail?.Code ?? 1), text.ToString());
            if (message.Aux is { ValueKind: JsonValueKind.Object } aux && aux.TryGetProperty("ID", out var id))
                imageId = id.GetString();
            if (!string.IsNullOrEmpty(message.Stream))
            {
                text.Append(message.Stream);
                await output.WriteAsync(message.Stream);
                await output.FlushAsync(ct);
            }
        }
        return (imageId, null, text.ToString());
    }

    /// <summary>
    /// Writes the context tar and returns the Dockerfile's name in it. Files are owned by root with their mode and mtime;
    /// .dockerignore is honoured with the Dockerfile and .dockerignore kept (docker's TrimBuildFilesFromExcludes).
    /// </summary>
    private static async Task<string> WriteContextAsync(Stream output, string path, string file, CliConsole console, CancellationToken ct)
    {
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        if (path == "-")
        {
            if (file == "-")
                throw new CliException(1, "invalid argument: can't use stdin for both build context and dockerfile");
            // A tar on stdin is the context as it is; anything else is a Dockerfile without a context.
            var input = new MemoryStream();
            await console.StdinStream.CopyToAsync(input, ct);
            input.Position = 0;
            var head = input.ToArray();
            bool isTar = head.Length > 262 && Encoding.ASCII.GetString(head, 257, 5) == "ustar" || head is [0x1F, 0x8B, ..];
            if (isTar)
            {
                output.SetLength(0);
                await input.CopyToAsync(output, ct);
                return file.Length > 0 ? file : "Dockerfile";
            }
            await WriteBytesAsync(writer, "Dockerfile", head, ct);
            return "Dockerfile";
        }
        string root = Path.GetFullPath(path);
        if (!Directory.Exists(root))
            throw new CliException(1, $"unable to prepare context: path \"{path}\" not found");
        string dockerfileName;
        byte[]? outsideDockerfile = null;
        if (file == "-")
        {
            var input = new MemoryStream();
            await console.StdinStream.CopyToAsync(input, ct);
            outsideDockerfile = input.ToArray();
            dockerfileName = ".dockerfile." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        }
        else
        {
            string dockerfile = file.Length == 0 ? Path.Combine(root, "Dockerfile") : Path.GetFullPath(file);
            if (file.Length == 0 && !File.Exists(dockerfile) && File.Exists(Path.Combine(root, "dockerfile")))
                dockerfile = Path.Combine(root, "dockerfile");
            if (!File.Exists(dockerfile))
                throw new CliException(1, $"unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat {dockerfile}: no such file or directory");
            string relative = Path.GetRelativePath(root, dockerfile).Replace('\\', '/');
            if (relative.StartsWith("../", StringComparison.Ordinal) || relative == "..")
            {
                outsideDockerfile = await File.ReadAllBytesAsync(dockerfile, ct);
                dockerfileName = ".dockerfile." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
            }
            else
                dockerfileName = relative;
        }
        var patterns = File.Exists(Path.Combine(root, ".dockerignore"))
            ? PatternMatcher.ReadIgnoreFile(await File.ReadAllTextAsync(Path.Combine(root, ".dockerignore"), ct))
            : [];
        if (patterns.Count > 0)
            patterns.AddRange(["!.dockerignore", "!" + dockerfileName]);
        PatternMatcher matcher;
        try
        {
            matcher = new PatternMatcher(patterns);
        }
        catch (ArgumentException e)
        {
            throw new CliException(1, $"error checking context: {e.Message}");
        }
        await AddDirectoryAsync(writer, root, "", matcher, ct);
        if (outsideDockerfile is not null)
            await WriteBytesAsync(writer, dockerfileName, outsideDockerfile, ct);
        return dockerfileName;
    }

    private static async Task AddDirectoryAsync(TarWriter writer, string root, string relative, PatternMatcher matcher, CancellationToken ct)
    {
        string directory = relative.Length == 0 ? root : Path.Combine(root, relative);
        foreach (var info in new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            string name = relative.Length == 0 ? info.Name : relative + "/" + info.Name;
            bool excluded = matcher.Matches(name);
            bool isDirectory = info is DirectoryInfo && info.LinkTarget is null;
            if (excluded && !(isDirectory && matcher.HasExclusions))
                continue;
            if (!excluded)
            {
                PaxTarEntry entry;
                if (info.LinkTarget is { } target)
                    entry = new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target };
                else if (isDirectory)
                    entry = new PaxTarEntry(TarEntryType.Directory, name + "/");
                else if (info is FileInfo)
                    entry = new PaxTarEntry(TarEntryType.RegularFile, name);
                else
                    continue;
                entry.Mode = info.UnixFileMode;
                entry.ModificationTime = info.LastWriteTimeUtc;
                entry.Uid = 0;
                entry.Gid = 0;
                if (entry.EntryType == TarEntryType.RegularFile)
                {
                    FileStream data;
                    try
                    {
                        data = File.OpenRead(info.FullName);
                    }
                    catch (UnauthorizedAccessException)
                    {
                        throw new CliException(1, $"error checking context: can't stat '{info.FullName}'");
                    }
                    await using (data)
                    {
                        entry.DataStream = data;
                        await writer.WriteEntryAsync(entry, ct);
                    }
                    continue;
                }
                await writer.WriteEntryAsync(entry, ct);
            }
            if (isDirectory)
                await AddDirectoryAsync(writer, root, name, matcher, ct);
        }
    }

    private static async Task WriteBytesAsync(TarWriter writer, string name, byte[] data, CancellationToken ct)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = (UnixFileMode)0x1A4, ModificationTime = DateTimeOffset.UtcNow, DataStream = new MemoryStream(data),
        };
        await writer.WriteEntryAsync(entry, ct);
    }

    /// <summary>--build-arg KEY=VALUE, or KEY alone taken from the environment (left out when unset), as a JSON object.</summary>
    private static string BuildArgs(string[] args, Func<string, string?> environment)
    {
        var pairs = new List<(string, string)>();
        foreach (string arg in args)
        {
            int eq = arg.IndexOf('=');
            if (eq >= 0)
                pairs.Add((arg[..eq], arg[(eq + 1)..]));
            else if (environment(arg) is { } value)
                pairs.Add((arg, value));
        }
        return pairs.Count == 0 ? "" : JsonObject(pairs);
    }

    private static string Labels(string[] labels) =>
        labels.Length == 0 ? "" : JsonObject(labels.Select(l => l.IndexOf('=') is var eq and >= 0 ? (l[..eq], l[(eq + 1)..]) : (l, "")).ToList());

    private static string JsonObject(List<(string Key, string Value)> pairs)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (key, value) in pairs)
                json.WriteString(key, value);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
