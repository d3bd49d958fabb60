using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Api;

namespace Berth.Cli.Registry;

/// <summary>
/// Registry credentials in a Docker-compatible <c>config.json</c> (<c>{"auths":{"host":{"auth":"base64(user:pass)"}}}</c>)
/// under <c>$BERTH_CONFIG</c>, else <c>$DOCKER_CONFIG</c>, else <c>~/.berth</c>; written atomically with mode 0600.
/// Other members of the file (the docker CLI's settings) are kept as they are. Credential helpers are not run.
/// </summary>
public sealed class CredentialStore(string directory)
{
    public const string HubKey = "https://index.docker.io/v1/";

    public string FilePath => Path.Combine(directory, "config.json");

    public static CredentialStore FromEnvironment(Func<string, string?> environment) =>
        new(environment("BERTH_CONFIG") is { Length: > 0 } berth ? berth
            : environment("DOCKER_CONFIG") is { Length: > 0 } docker ? docker
            : Path.Combine(environment("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".berth"));

    /// <summary>The config.json key of a registry: Docker Hub's historical URL, else the host as given.</summary>
    public static string KeyFor(string domain) => domain is "docker.io" or "index.docker.io" or "registry-1.docker.io" ? HubKey : domain;

    public AuthConfig? Get(string domain)
    {
        string key = KeyFor(domain);
        if (Load()["auths"]?[key] is not JsonObject entry)
            return null;
        var config = new AuthConfig { ServerAddress = key, IdentityToken = (string?)entry["identitytoken"] };
        if ((string?)entry["auth"] is { Length: > 0 } auth)
        {
            string pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            int colon = pair.IndexOf(':');
            (config.Username, config.Password) = colon < 0 ? (pair, "") : (pair[..colon], pair[(colon + 1)..]);
        }
        return config;
    }

    public void Save(string domain, string username, string password)
    {
        var root = Load();
        var auths = root["auths"] as JsonObject ?? new JsonObject();
        root["auths"] = auths;
        auths[KeyFor(domain)] = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")) };
        Write(root);
    }

    /// <summary>False when there was nothing stored for the registry.</summary>
    public bool Remove(string domain)
    {
        var root = Load();
        if (root["auths"] is not JsonObject auths || !auths.Remove(KeyFor(domain)))
            return false;
        Write(root);
        return true;
    }

    /// <summary>The X-Registry-Auth header for a registry: base64url of the stored credentials, or of <c>{}</c>.</summary>
    public string HeaderFor(string domain)
    {
        var config = Get(domain) ?? new AuthConfig();
        config.Auth = null;
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(config, ApiJsonContext.Default.AuthConfig);
        return Convert.ToBase64String(json).Replace('+', '-').Replace('/', '_');
    }

    private JsonObject Load()
    {
        if (!File.Exists(FilePath))
            return new JsonObject();
        try
        {
            return JsonNode.Parse(File.ReadAllText(FilePath)) as JsonObject ?? new JsonObject();
        }
        catch (JsonException e)
        {
            throw new CommandLine.CliException(1, $"loading config file {FilePath}: {e.Message}");
        }
    }

    private void Write(JsonObject root)
    {
        Directory.CreateDirectory(directory);
        string temp = FilePath + ".tmp-" + Environment.ProcessId;
        using (var file = new FileStream(temp, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        {
            file.Write(Encoding.UTF8.GetBytes(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
            file.Flush(flushToDisk: true);
        }
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, FilePath, overwrite: true);
    }
}
