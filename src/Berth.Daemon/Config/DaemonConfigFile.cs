using System.Text.Json;

namespace Berth.Daemon.Config;

/// <summary>
/// Reads /etc/berth/daemon.json (`--config-file`), dockerd's daemon.json with the keys Berth has. It is read as a
/// <see cref="JsonDocument"/> rather than deserialized (reflection-free, so NativeAOT-safe, and it lets every error
/// name its key): an unknown key, a value of the wrong type or a key given twice is a <see cref="DaemonConfigException"/>.
/// </summary>
public static class DaemonConfigFile
{
    public const string DefaultPath = "/etc/berth/daemon.json";

    /// <summary>The keys Berth knows, in dockerd's spelling.</summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        "data-root", "hosts", "group", "log-level", "log-driver", "log-opts", "live-restore", "default-address-pools", "bip",
        "insecure-registries", "registry-mirrors", "max-concurrent-downloads", "max-concurrent-uploads", "default-ulimits",
        "cgroup-parent", "shutdown-timeout",
    ];

    /// <summary>The file's settings; none when it does not exist and <paramref name="required"/> is false (the default path).</summary>
    public static DaemonSettings Load(string path, bool required)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (!required && e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new DaemonSettings();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DaemonConfigException($"unable to read the configuration file {path}: {e.Message}");
        }
        try
        {
            return Parse(text);
        }
        catch (DaemonConfigException e)
        {
            throw new DaemonConfigException($"{e.Message} (in {path})");
        }
    }

    public static DaemonSettings Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return new DaemonSettings(); // dockerd accepts an empty file
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new DaemonConfigException($"the configuration file is not valid JSON: {e.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new DaemonConfigException("the configuration file must hold a JSON object");
            var settings = new DaemonSettings();
            var seen = new HashSet<string>();
            var unknown = new List<string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new DaemonConfigException($"the configuration file gives `{property.Name}` twice");
                if (!Keys.Contains(property.Name))
                {
                    unknown.Add(property.Name);
                    continue;
                }
                Read(settings, property.Name, property.Value);
            }
            if (unknown.Count > 0)
                throw new DaemonConfigException($"the following directives don't match any configuration option: {string.Join(", ", unknown)}");
            return settings;
        }
    }

    private static void Read(DaemonSettings s, string key, JsonElement value)
    {
        switch (key)
        {
            case "data-root": s.DataRoot = String(key, value); break;
            case "hosts": s.Hosts = Strings(key, value); break;
            case "group": s.Group = String(key, value); break;
            case "log-level": s.LogLevel = String(key, value); break;
            case "log-driver": s.LogDriver = String(key, value); break;
            case "log-opts": s.LogOpts = StringMap(key, value); break;
            case "live-restore": s.LiveRestore = Boolean(key, value); break;
            case "default-address-pools": s.DefaultAddressPools = Pools(key, value); break;
            case "bip": s.Bip = String(key, value); break;
            case "insecure-registries": s.InsecureRegistries = Strings(key, value); break;
            case "registry-mirrors": s.RegistryMirrors = Strings(key, value); break;
            case "max-concurrent-downloads": s.MaxConcurrentDownloads = Integer(key, value); break;
            case "max-concurrent-uploads": s.MaxConcurrentUploads = Integer(key, value); break;
            case "default-ulimits": s.DefaultUlimits = Ulimits(key, value); break;
            case "cgroup-parent": s.CgroupParent = String(key, value); break;
            case "shutdown-timeout": s.ShutdownTimeout = Integer(key, value); break;
        }
    }

    private static DaemonConfigException Bad(string key, string want, JsonElement value) =>
        new($"invalid value for `{key}` in the configuration file: want {want}, got {value.GetRawText()}");

    private static string String(string key, JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Bad(key, "a string", value);

    private static bool Boolean(string key, JsonElement value) =>
        value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw Bad(key, "true or false", value);

    private static int Integer(string key, JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) ? n : throw Bad(key, "an integer", value);

    private static List<string> Strings(string key, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw Bad(key, "an array of strings", value);
        return [.. value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Bad(key, "an array of strings", value))];
    }

    private static Dictionary<string, string> StringMap(string key, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Bad(key, "an object of strings", value);
        var map = new Dictionary<string, string>();
        foreach (var property in value.EnumerateObject())
            map[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : throw Bad($"{key}.{property.Name}", "a string", property.Value);
        return map;
    }

    /// <summary>dockerd's form, <c>[{"base": "172.30.0.0/16", "size": 24}]</c>, as the flag's <c>base=...,size=...</c>.</summary>
    private static List<string> Pools(string key, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw Bad(key, "an array of {\"base\": CIDR, \"size\": N}", value);
        var pools = new List<string>();
        foreach (var pool in value.EnumerateArray())
        {
            if (pool.ValueKind != JsonValueKind.Object
                || !pool.TryGetProperty("base", out var poolBase) || poolBase.ValueKind != JsonValueKind.String
                || !pool.TryGetProperty("size", out var size) || !size.TryGetInt32(out int bits)
                || pool.EnumerateObject().Any(p => p.Name is not ("base" or "size")))
                throw Bad(key, "an array of {\"base\": CIDR, \"size\": N}", value);
            pools.Add($"base={poolBase.GetString()},size={bits}");
        }
        return pools;
    }

    private static Dictionary<string, string> Ulimits(string key, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Bad(key, "an object of ulimits", value);
        return value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
    }
}
