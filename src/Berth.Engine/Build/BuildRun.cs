using System.Text;
using System.Text.Json;
using Berth.Common;
using Berth.Engine.Commit;
using Berth.Engine.Containers;
using Berth.Engine.Images;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Build;

/// <summary>
/// One build: the stages up to the target, each instruction dispatched as moby's classic builder does
/// (builder/dockerfile/builder.go, dispatchers.go, internals.go) with its output lines, and the intermediate
/// containers removed (after a success with rm, always with forcerm).
/// </summary>
internal sealed partial class BuildRun(ImageBuilder builder, BuildContext context, Dockerfile dockerfile, BuildOptions options, IBuildOutput output)
    : IAsyncDisposable
{
    /// <summary>The build args Docker allows without an ARG (and keeps out of the cache key and history unless declared).</summary>
    private static readonly HashSet<string> ProxyArgs =
        ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"];

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    private readonly ShellLex _lex = new(dockerfile.Escape);
    private readonly List<BuildStage> _stages = [];
    private readonly Dictionary<string, string?> _metaArgs = [];
    private readonly HashSet<string> _usedArgs = [];
    private readonly List<string> _containers = [];
    private int _step;
    private int _total;

    private ContainerManager Containers => builder.Engine.Containers;

    private ImageStore Images => builder.Engine.Images;

    public async Task<Image> ExecuteAsync(CancellationToken ct)
    {
        var instructions = dockerfile.Instructions;
        int i = 0;
        var meta = new List<DockerfileInstruction>();
        while (i < instructions.Count && instructions[i].Keyword == "ARG")
            meta.Add(instructions[i++]);
        if (i == instructions.Count)
            throw new DockerfileException(0, instructions.Count == 0 ? "the Dockerfile (" + (options.Dockerfile ?? "Dockerfile") + ") cannot be empty" : "no build stage in current context");
        if (instructions[i].Keyword != "FROM")
            throw new DockerfileException(instructions[i].Line, "no build stage in current context");
        for (; i < instructions.Count; i++)
        {
            var instruction = instructions[i];
            if (instruction.Keyword == "FROM")
                _stages.Add(new BuildStage { From = instruction, Name = StageName(instruction) });
            else
                _stages[^1].Commands.Add(instruction);
        }
        if (!string.IsNullOrEmpty(options.Target))
        {
            int target = _stages.FindIndex(s => string.Equals(s.Name, options.Target, StringComparison.OrdinalIgnoreCase));
            if (target < 0)
                throw new DockerfileException(0, $"failed to reach build target {options.Target} in Dockerfile");
            _stages.RemoveRange(target + 1, _stages.Count - target - 1);
        }
        foreach (var (key, value) in options.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            _stages[^1].Commands.Add(new DockerfileInstruction { Keyword = "LABEL", Original = $"LABEL {key}={value}", Line = 0, Arguments = "", Json = [key, value] });
        _total = meta.Count + _stages.Count + _stages.Sum(s => s.Commands.Count);

        foreach (var arg in meta)
        {
            await StepAsync(arg.Original, ct);
            foreach (var (name, value) in ArgPairs(arg, n => _metaArgs.GetValueOrDefault(n)))
            {
                _metaArgs[name] = UserArg(name) ?? value;
            }
        }
        BuildStage? last = null;
        foreach (var stage in _stages)
        {
            await StepAsync(stage.From.Original, ct);
            await FromAsync(stage, ct);
            await WriteAsync($" ---> {Short(stage.Image)}\n", ct);
            foreach (var command in stage.Commands)
            {
                await StepAsync(command.Original, ct);
                await DispatchAsync(stage, command, ct);
                await WriteAsync($" ---> {Short(stage.Image)}\n", ct);
            }
            if (stage.Image is { } image)
                await output.ImageIdAsync(image.Id, ct);
            last = stage;
        }
        var unused = options.BuildArgs.Keys.Where(k => !_usedArgs.Contains(k) && !_metaArgs.ContainsKey(k) && !ProxyArgs.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unused.Count > 0)
            await WriteAsync($"[Warning] One or more build-args [{string.Join(' ', unused)}] were not consumed\n", ct);
        var result = last!.Image ?? await Images.CreateImageAsync(new NewImage { Config = last.Config, CreatedBy = "" }, ct);
        await WriteAsync($"Successfully built {result.ShortId}\n", ct);
        foreach (var tag in options.Tags)
        {
            Images.Tag(result, tag);
            await WriteAsync($"Successfully tagged {tag.FamiliarString}\n", ct);
        }
        return Images.Find(result.Id) ?? result;
    }

    private static string Short(Image? image) => image?.ShortId ?? "";

    private Task StepAsync(string text, CancellationToken ct) => WriteAsync($"Step {++_step}/{_total} : {text}\n", ct);

    private Task WriteAsync(string text, CancellationToken ct) => output.WriteAsync(text, ct);

    private static string? StageName(DockerfileInstruction from)
    {
        var words = from.Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase))
            return words[2].ToLowerInvariant();
        if (words.Length != 1)
            throw new DockerfileException(from.Line, "FROM requires either one or three arguments");
        return null;
    }

    /// <summary>A build arg the client gave (a null value counts as not given).</summary>
    private string? UserArg(string name) => options.BuildArgs.TryGetValue(name, out string? value) ? value : null;

    private async Task FromAsync(BuildStage stage, CancellationToken ct)
    {
        foreach (var flag in stage.From.Flags)
        {
            if (flag.Key != "platform")
                throw new DockerfileException(stage.From.Line, $"unknown flag: {flag.Key}");
        }
        string name = _lex.ProcessWord(stage.From.Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[0], n => _metaArgs.GetValueOrDefault(n));
        if (name.Length == 0)
            throw new DockerfileException(stage.From.Line, "base name (" + stage.From.Arguments + ") should not be blank");
        if (_stages.TakeWhile(s => s != stage).LastOrDefault(s => s.Name == name.ToLowerInvariant()) is { } previous)
        {
            stage.Image = previous.Image;
            stage.Config = previous.Config;
        }
        else if (name.Equals("scratch", StringComparison.OrdinalIgnoreCase))
        {
            stage.Image = null;
            stage.Config = new ImageExecutionConfig { Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] };
        }
        else
        {
            var image = await BaseImageAsync(name, stage.From.Line, ct);
            stage.Image = image;
            stage.Config = image.Config.Config ?? new ImageExecutionConfig();
        }
        if (stage.Config.OnBuild is { Count: > 0 } triggers)
        {
            stage.Config = Copy(stage.Config, onBuild: []);
            await WriteAsync($"# Executing {triggers.Count} build trigger{(triggers.Count == 1 ? "" : "s")}\n", ct);
            foreach (string trigger in triggers)
                await DispatchAsync(stage, DockerfileParser.ParseLine(trigger, stage.From.Line, dockerfile.Escape), ct);
        }
    }

    private async Task<Image> BaseImageAsync(string name, int line, CancellationToken ct)
    {
        ImageReference reference;
        try
        {
            reference = ImageReference.Parse(name);
        }
        catch (InvalidImageReferenceException e)
        {
            throw new DockerfileException(line, $"invalid reference format: {e.Message}");
        }
        var found = options.Pull ? null : Images.Find(name);
        if (found is not null)
            return found;
        if (options.PullBaseImage is { } pull && await pull(reference, ct) is { } pulled)
            return pulled;
        return Images.Find(name) ?? throw new ImageNotFoundException(name);
    }

    private Task DispatchAsync(BuildStage stage, DockerfileInstruction instruction, CancellationToken ct)
    {
        if (instruction.Keyword is not ("RUN" or "COPY" or "ADD" or "FROM" or "HEALTHCHECK") && instruction.Flags.Count > 0)
            throw new DockerfileException(instruction.Line, $"{instruction.Keyword} does not take flags (--{instruction.Flags[0].Key})");
        return instruction.Keyword switch
        {
            "RUN" => RunAsync(stage, instruction, ct),
            "COPY" => CopyAsync(stage, instruction, add: false, ct),
            "ADD" => CopyAsync(stage, instruction, add: true, ct),
            _ => ConfigStepAsync(stage, instruction, ct),
        };
    }

    /// <summary>The variables an instruction's words expand with: the stage's Env, then its ARGs that Env does not set.</summary>
    private Func<string, string?> Lookup(BuildStage stage) => name =>
    {
        foreach (string entry in (stage.Config.Env ?? []).Reverse())
        {
            if (entry.StartsWith(name + "=", StringComparison.Ordinal))
                return entry[(name.Length + 1)..];
        }
        if (stage.Args.TryGetValue(name, out string? value))
        {
            _usedArgs.Add(name);
            return value;
        }
        return null;
    };

    private string Word(BuildStage stage, DockerfileInstruction instruction, string text)
    {
        try
        {
            return instruction.Line == 0 ? text : _lex.ProcessWord(text, Lookup(stage));
        }
        catch (DockerfileException e) when (e.Line == 0)
        {
            throw new DockerfileException(instruction.Line, e.Message);
        }
    }

    private List<string> Words(BuildStage stage, DockerfileInstruction instruction)
    {
        if (instruction.Json is { } json)
            return [.. json.Select(w => Word(stage, instruction, w))];
        try
        {
            return _lex.ProcessWords(instruction.Arguments, Lookup(stage));
        }
        catch (DockerfileException e) when (e.Line == 0)
        {
            throw new DockerfileException(instruction.Line, e.Message);
        }
    }

    /// <summary>The shell of RUN/CMD/ENTRYPOINT's shell form and of the #(nop) commands: SHELL's, or /bin/sh -c.</summary>
    private static List<string> Shell(BuildStage stage) => stage.Config.Shell is { Count: > 0 } shell ? [.. shell] : ["/bin/sh", "-c"];

    /// <summary>ARG's <c>name[=default]</c> pairs, defaults expanded.</summary>
    private List<(string Name, string? Value)> ArgPairs(DockerfileInstruction arg, Func<string, string?> lookup)
    {
        var pairs = new List<(string, string?)>();
        foreach (string word in SplitKeepingQuotes(arg.Arguments, dockerfile.Escape))
        {
            int eq = word.IndexOf('=');
            string name = eq < 0 ? word : word[..eq];
            if (name.Length == 0)
                throw new DockerfileException(arg.Line, "ARG names can not be blank");
            string? value = eq < 0 ? null : _lex.ProcessWord(word[(eq + 1)..], lookup);
            pairs.Add((name, value));
        }
        if (pairs.Count == 0)
            throw new DockerfileException(arg.Line, "ARG requires at least one argument");
        return pairs;
    }

    /// <summary>Words split on blanks outside quotes, the quotes and escapes kept (buildkit's parseWords, for name=value lists).</summary>
    internal static List<string> SplitKeepingQuotes(string text, char escape)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i];
            if (quote == '\0' && ch is ' ' or '\t')
            {
                if (word.Length > 0)
                    words.Add(word.ToString());
                word.Clear();
                continue;
            }
            word.Append(ch);
            if (ch == escape && i + 1 < text.Length && quote != '\'')
                word.Append(text[++i]);
            else if (quote == '\0' && ch is '"' or '\'')
                quote = ch;
            else if (ch == quote)
                quote = '\0';
        }
        if (word.Length > 0)
            words.Add(word.ToString());
        return words;
    }

    internal static ImageExecutionConfig Copy(ImageExecutionConfig c, IReadOnlyList<string>? env = null, IReadOnlyList<string>? onBuild = null,
        IReadOnlyDictionary<string, string>? labels = null) => new()
    {
        User = c.User,
        ExposedPorts = c.ExposedPorts,
        Env = env ?? c.Env,
        Entrypoint = c.Entrypoint,
        Cmd = c.Cmd,
        Volumes = c.Volumes,
        WorkingDir = c.WorkingDir,
        Labels = labels ?? c.Labels,
        StopSignal = c.StopSignal,
        Healthcheck = c.Healthcheck,
        OnBuild = onBuild is { Count: 0 } ? null : onBuild ?? c.OnBuild,
        Shell = c.Shell,
        ArgsEscaped = c.ArgsEscaped,
    };

    /// <summary>
    /// Commits one step: reused from the cache when the parent, the command and the config match; otherwise a container
    /// of the current image is created (" ---> Running in"), <paramref name="work"/> changes its files or runs it, and it
    /// is committed with <paramref name="config"/> and the history's <paramref name="createdBy"/>.
    /// </summary>
    private async Task CommitAsync(BuildStage stage, string createdBy, ImageExecutionConfig config, CancellationToken ct,
        ContainerConfig? run = null, Func<string, Task>? work = null, Func<Task<Stream>>? scratchLayer = null)
    {
        string key = BuildCache.KeyOf(stage.Image?.Id, createdBy, config);
        if (!options.NoCache && builder.Cache.Find(key) is { } cached && Images.Find(cached) is { } hit)
        {
            await WriteAsync(" ---> Using cache\n", ct);
            stage.Image = hit;
            stage.Config = config;
            return;
        }
        if (stage.Image is null || stage.Image.DiffIds.Count == 0)
        {
            // FROM scratch: there is no filesystem to run a container on; a COPY's files become the layer directly.
            if (run is not null)
                throw new BuildStepFailedException($"The command '{createdBy}' cannot run: the stage has no filesystem yet (FROM scratch)", 1);
            await using var layer = scratchLayer is null ? null : await scratchLayer();
            stage.Image = await Images.CreateImageAsync(new NewImage
            {
                Parent = stage.Image, Layer = layer, Config = config, CreatedBy = createdBy, Author = stage.Author,
            }, ct);
            stage.Config = config;
            builder.Cache.Add(key, stage.Image.Id);
            return;
        }
        var containerConfig = run ?? new ContainerConfig
        {
            Image = stage.Image.Id,
            Cmd = [.. Shell(stage), "#(nop) "],
            Env = config.Env?.ToList(),
            WorkingDir = config.WorkingDir,
        };
        containerConfig.Image = stage.Image.Id;
        var hostConfig = new HostConfig
        {
            NetworkMode = options.NetworkMode,
            Memory = options.Memory,
            MemorySwap = options.MemorySwap,
            CpuShares = options.CpuShares,
            ShmSize = options.ShmSize,
            ExtraHosts = options.ExtraHosts.Count > 0 ? [.. options.ExtraHosts] : null,
        };
        var container = Containers.Create(null, containerConfig, hostConfig);
        _containers.Add(container.Id);
        await WriteAsync($" ---> Running in {container.Id[..12]}\n", ct);
        bool done = false;
        try
        {
            if (work is not null)
                await work(container.Id);
            if (run is not null)
                await RunContainerAsync(container.Id, createdBy, ct);
            var image = await builder.Engine.Commits.CommitAsync(container.Id, new CommitOptions
            {
                Config = config, Pause = false, CreatedBy = createdBy, Author = stage.Author,
            }, ct);
            builder.Cache.Add(key, image.Id);
            stage.Image = image;
            stage.Config = config;
            done = true;
        }
        finally
        {
            if (options.ForceRemove || (options.Remove && done))
                await RemoveContainersAsync(ct);
        }
    }

    private async Task RunContainerAsync(string id, string createdBy, CancellationToken ct)
    {
        var sink = new OutputSink();
        var exit = Containers.WaitAsync(id, WaitCondition.NextExit, ct);
        await using var attachment = Containers.Attach(id, sink, stdin: false);
        var pump = PumpAsync(sink, ct);
        try
        {
            await Containers.StartAsync(id, ct);
        }
        catch
        {
            sink.Complete();
            await pump;
            throw;
        }
        var result = await exit;
        await pump;
        if (result.ExitCode != 0)
        {
            throw new BuildStepFailedException($"The command '{RunCommandText(createdBy)}' returned a non-zero code: {result.ExitCode}", result.ExitCode);
        }
    }

    /// <summary>The RUN's command without the "|N k=v" build-arg prefix of its history text.</summary>
    private static string RunCommandText(string createdBy)
    {
        if (!createdBy.StartsWith('|'))
            return createdBy;
        int space = createdBy.IndexOf(' ');
        int count = int.Parse(createdBy[1..space], System.Globalization.CultureInfo.InvariantCulture);
        int position = space;
        for (int i = 0; i < count; i++)
            position = createdBy.IndexOf(' ', position + 1);
        return createdBy[(position + 1)..];
    }

    private async Task PumpAsync(OutputSink sink, CancellationToken ct)
    {
        await foreach (string text in sink.Reader.ReadAllAsync(ct))
            await WriteAsync(text, ct);
    }

    private async Task RemoveContainersAsync(CancellationToken ct)
    {
        foreach (string id in _containers.ToList())
        {
            try
            {
                await Containers.RemoveAsync(id, force: true, CancellationToken.None, removeVolumes: true);
                _containers.Remove(id);
                await WriteAsync($"Removing intermediate container {id[..12]}\n", ct);
            }
            catch (ContainerNotFoundException)
            {
                _containers.Remove(id);
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
