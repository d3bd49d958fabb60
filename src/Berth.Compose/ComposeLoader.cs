using System.Text;

namespace Berth.Compose;

/// <summary>
/// Loads a project as docker compose v2 does: finds the files (<c>-f</c>, <c>COMPOSE_FILE</c>, or compose.yaml /
/// docker-compose.yml and their override in the directory or a parent), reads <c>.env</c> (or <c>--env-file</c>;
/// the process environment wins), interpolates each file, normalizes and merges them, resolves <c>extends</c> and
/// <c>env_file</c>, drops services of inactive profiles, and checks references (depends_on, networks, volumes, cycles,
/// ports published twice). Errors name the file and line.
/// </summary>
public static class ComposeLoader
{
    public static readonly string[] DefaultFiles = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];

    private static readonly HashSet<string> TopLevelKeys = new(StringComparer.Ordinal) { "version", "name", "services", "networks", "volumes", "secrets", "configs", "include" };

    public static ComposeProject Load(ComposeLoadOptions options)
    {
        var files = FindFiles(options);
        string directory = options.ProjectDirectory is { } given ? Path.GetFullPath(given, options.CurrentDirectory) : Path.GetDirectoryName(files[0])!;
        var variables = Variables(options, directory);
        var interpolator = new Interpolator(variables);
        MapNode? merged = null;
        foreach (string file in files)
        {
            string text = File.ReadAllText(file);
            var root = YamlReader.Read(text, file) as MapNode ?? throw new ComposeFileException($"{file}: the top level must be a mapping");
            root = (MapNode)interpolator.Apply(root);
            root = NormalizeFile(root);
            merged = merged is null ? root : (MapNode)ComposeMerger.Merge(merged, root);
        }
        var model = merged!;
        var warnings = interpolator.Unset.Select(name => $"The \"{name}\" variable is not set. Defaulting to a blank string.").ToList();
        if (model["version"] is not null)
            warnings.Add($"{files[0]}: the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion");

        string name = ProjectName(options, model, directory, variables);
        var services = new OrderedDictionary<string, MapNode>(StringComparer.Ordinal);
        if (model["services"] is MapNode serviceMap)
            foreach (var (serviceName, node) in serviceMap.Entries)
                services[serviceName] = (MapNode)node;
        foreach (string serviceName in services.Keys.ToList())
            services[serviceName] = ResolveExtends(serviceName, services[serviceName], services, interpolator, [], directory);
        foreach (string serviceName in services.Keys.ToList())
            services[serviceName] = ApplyEnvFiles(services[serviceName], directory);

        var profiles = options.Profiles.Count > 0 ? options.Profiles.ToHashSet(StringComparer.Ordinal)
            : (variables.GetValueOrDefault("COMPOSE_PROFILES") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var disabled = new List<string>();
        foreach (var (serviceName, service) in services.ToList())
        {
            var serviceProfiles = Strings(service["profiles"]);
            if (serviceProfiles.Count > 0 && !profiles.Contains("*") && !serviceProfiles.Any(profiles.Contains))
            {
                services.Remove(serviceName);
                disabled.Add(serviceName);
            }
        }
        var serviceModel = new MapNode(model.File, model.Line);
        foreach (var (serviceName, service) in services)
            serviceModel.Entries[serviceName] = service;
        model.Entries["services"] = serviceModel;
        model.Entries.Remove("version");
        model.Entries.Remove("name");
        model.Entries.Insert(0, "name", new ScalarNode(model.File, model.Line, name, true));

        var project = new ComposeProject
        {
            Name = name,
            WorkingDirectory = directory,
            ConfigFiles = files,
            Variables = variables,
            Services = services,
            DisabledServices = disabled,
            Networks = Section(model, "networks"),
            Volumes = Section(model, "volumes"),
            Model = model,
            Warnings = warnings,
        };
        ProjectChecks.Check(project);
        return project;
    }

    /// <summary>The string items of a list node (or the one scalar); empty when absent.</summary>
    public static List<string> Strings(ComposeNode? node) => node switch
    {
        ListNode list => list.Items.Select(i => (i as ScalarNode)?.Value ?? throw new ComposeFileException(i, "expected a string")).ToList(),
        ScalarNode { Value: { } value } => [value],
        _ => [],
    };

    private static List<string> FindFiles(ComposeLoadOptions options)
    {
        IEnumerable<string> given = options.Files;
        if (options.Files.Count == 0 && options.Environment.TryGetValue("COMPOSE_FILE", out string? composeFile) && composeFile.Length > 0)
            given = composeFile.Split(options.Environment.GetValueOrDefault("COMPOSE_PATH_SEPARATOR") ?? ":", StringSplitOptions.RemoveEmptyEntries);
        var files = given.Select(f => Path.GetFullPath(f, options.CurrentDirectory)).ToList();
        foreach (string file in files)
            if (!File.Exists(file))
                throw new ComposeFileException($"open {file}: no such file or directory");
        if (files.Count > 0)
            return files;
        string start = options.ProjectDirectory is { } project ? Path.GetFullPath(project, options.CurrentDirectory) : options.CurrentDirectory;
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            foreach (string candidate in DefaultFiles)
            {
                string path = Path.Combine(dir.FullName, candidate);
                if (!File.Exists(path))
                    continue;
                files.Add(path);
                string extension = Path.GetExtension(candidate);
                string overridePath = Path.Combine(dir.FullName, Path.GetFileNameWithoutExtension(candidate) + ".override" + extension);
                if (File.Exists(overridePath))
                    files.Add(overridePath);
                return files;
            }
        }
        throw new ComposeFileException("no configuration file provided: not found");
    }

    private static Dictionary<string, string> Variables(ComposeLoadOptions options, string directory)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var envFiles = options.EnvFiles.Count > 0 ? options.EnvFiles.Select(f => Path.GetFullPath(f, options.CurrentDirectory)).ToList() : [Path.Combine(directory, ".env")];
        foreach (string file in envFiles)
        {
            if (!File.Exists(file))
            {
                if (options.EnvFiles.Count > 0)
                    throw new ComposeFileException($"couldn't find env file: {file}");
                continue;
            }
            foreach (var (key, value) in DotEnv.Read(file))
                variables[key] = value ?? options.Environment.GetValueOrDefault(key) ?? "";
        }
        foreach (var (key, value) in options.Environment)
            variables[key] = value;
        return variables;
    }

    private static string ProjectName(ComposeLoadOptions options, MapNode model, string directory, IReadOnlyDictionary<string, string> variables)
    {
        string? name = options.ProjectName
                       ?? (variables.TryGetValue("COMPOSE_PROJECT_NAME", out string? fromEnv) && fromEnv.Length > 0 ? fromEnv : null)
                       ?? (model["name"] as ScalarNode)?.Value;
        if (name is not null)
        {
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-') || !char.IsAsciiLetterOrDigit(name[0]))
                throw new ComposeFileException($"invalid project name \"{name}\": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number");
            return name;
        }
        // As compose-go's NormalizeProjectName: lower case, only [a-z0-9_-], leading separators dropped.
        var normalized = new StringBuilder();
        foreach (char c in Path.GetFileName(directory.TrimEnd('/')).ToLowerInvariant())
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
                normalized.Append(c);
        string result = normalized.ToString().TrimStart('_', '-');
        return result.Length > 0 ? result : throw new ComposeFileException($"project name cannot be derived from the directory {directory}: give one with -p");
    }

    private static MapNode NormalizeFile(MapNode root)
    {
        var copy = new MapNode(root.File, root.Line);
        foreach (var (key, value) in root.Entries)
        {
            if (!TopLevelKeys.Contains(key) && !key.StartsWith("x-", StringComparison.Ordinal))
                throw new ComposeFileException(value, $"additional property {key} is not allowed");
            if (key == "services")
            {
                var services = value as MapNode ?? (value is ScalarNode { Value: null } ? new MapNode(value.File, value.Line) : throw new ComposeFileException(value, "services must be a mapping"));
                var normalized = new MapNode(services.File, services.Line);
                foreach (var (name, service) in services.Entries)
                    normalized.Entries[name] = ServiceShapes.Normalize(name, service);
                copy.Entries[key] = normalized;
            }
            else if (key is "networks" or "volumes")
            {
                var section = value as MapNode ?? (value is ScalarNode { Value: null } ? new MapNode(value.File, value.Line) : throw new ComposeFileException(value, $"{key} must be a mapping"));
                var normalized = new MapNode(section.File, section.Line);
                foreach (var (name, item) in section.Entries)
                    normalized.Entries[name] = item is ScalarNode { Value: null } ? new MapNode(item.File, item.Line) : item as MapNode ?? throw new ComposeFileException(item, $"{key}.{name} must be a mapping");
                copy.Entries[key] = normalized;
            }
            else
            {
                copy.Entries[key] = value;
            }
        }
        return copy;
    }

    private static OrderedDictionary<string, MapNode> Section(MapNode model, string key)
    {
        var result = new OrderedDictionary<string, MapNode>(StringComparer.Ordinal);
        if (model[key] is MapNode section)
            foreach (var (name, node) in section.Entries)
                result[name] = (MapNode)node;
        return result;
    }

    private static MapNode ResolveExtends(string name, MapNode service, OrderedDictionary<string, MapNode> services, Interpolator interpolator, HashSet<string> seen, string directory)
    {
        if (service["extends"] is not MapNode extends)
            return service;
        string key = service.File + "#" + name;
        if (!seen.Add(key))
            throw new ComposeFileException(extends, $"circular reference with extends in service {name}");
        string baseName = (extends["service"] as ScalarNode)?.Value ?? throw new ComposeFileException(extends, $"services.{name}.extends: service is required");
        MapNode baseService;
        if ((extends["file"] as ScalarNode)?.Value is { } file)
        {
            string path = Path.GetFullPath(file, Path.GetDirectoryName(extends.File) ?? directory);
            if (!File.Exists(path))
                throw new ComposeFileException(extends, $"extends: cannot read {path}");
            var root = YamlReader.Read(File.ReadAllText(path), path) as MapNode ?? throw new ComposeFileException($"{path}: the top level must be a mapping");
            var otherServices = new OrderedDictionary<string, MapNode>(StringComparer.Ordinal);
            if (NormalizeFile((MapNode)interpolator.Apply(root))["services"] is MapNode otherMap)
                foreach (var (n, s) in otherMap.Entries)
                    otherServices[n] = (MapNode)s;
            var other = otherServices.GetValueOrDefault(baseName) ?? throw new ComposeFileException(extends, $"cannot extend service \"{name}\": service \"{baseName}\" not found in {path}");
            baseService = ResolveExtends(baseName, other, otherServices, interpolator, seen, directory);
        }
        else
        {
            baseService = services.TryGetValue(baseName, out var local)
                ? ResolveExtends(baseName, local, services, interpolator, seen, directory)
                : throw new ComposeFileException(extends, $"cannot extend service \"{name}\": service \"{baseName}\" not found");
        }
        var own = service.Clone();
        own.Entries.Remove("extends");
        var result = (MapNode)ComposeMerger.Merge(baseService, own);
        result.Entries.Remove("extends");
        return result;
    }

    private static MapNode ApplyEnvFiles(MapNode service, string directory)
    {
        if (service["env_file"] is not { } envFiles)
            return service;
        var environment = new MapNode(envFiles.File, envFiles.Line);
        var items = envFiles is ListNode list ? list.Items : [envFiles];
        foreach (var item in items)
        {
            string? path = item switch
            {
                ScalarNode scalar => scalar.Value,
                MapNode map => (map["path"] as ScalarNode)?.Value,
                _ => null,
            };
            bool required = item is not MapNode m || (m["required"] as ScalarNode)?.Value is not ("false" or "False");
            if (path is null)
                throw new ComposeFileException(item, "env_file: expected a path");
            string full = Path.GetFullPath(path, directory);
            if (!File.Exists(full))
            {
                if (required)
                    throw new ComposeFileException(item, $"env file {full} not found");
                continue;
            }
            foreach (var (key, value) in DotEnv.Read(full))
                environment.Entries[key] = new ScalarNode(full, 1, value, true);
        }
        var copy = service.Clone();
        copy.Entries.Remove("env_file");
        copy.Entries["environment"] = service["environment"] is MapNode own ? ComposeMerger.Merge(environment, own) : environment;
        return copy;
    }
}
