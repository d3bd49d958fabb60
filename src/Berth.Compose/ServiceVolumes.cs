using System.Globalization;

namespace Berth.Compose;

/// <summary>
/// A service's <c>volumes</c> (short <c>SOURCE:TARGET[:MODE]</c> and long syntax) and <c>tmpfs</c>. A short source
/// that starts with <c>.</c>, <c>/</c> or <c>~</c> is a bind (relative paths against the project directory);
/// anything else names a project volume.
/// </summary>
public static class ServiceVolumes
{
    public static List<ServiceVolume> Parse(MapNode service, string? projectDirectory = null)
    {
        var result = new List<ServiceVolume>();
        if (service["volumes"] is ListNode list)
        {
            foreach (var item in list.Items)
                result.Add(item switch
                {
                    ScalarNode { Value: { } text } => Short(text, item, projectDirectory),
                    MapNode map => Long(map, projectDirectory),
                    _ => throw new ComposeFileException(item, "volumes: expected a string or a mapping"),
                });
        }
        else if (service["volumes"] is { } other and not ScalarNode { Value: null })
        {
            throw new ComposeFileException(other, "volumes must be a list");
        }
        foreach (string tmpfs in ComposeLoader.Strings(service["tmpfs"]))
            result.Add(new ServiceVolume("tmpfs", null, tmpfs.Split(':')[0], false, service["tmpfs"]!));
        return result;
    }

    private static ServiceVolume Short(string text, ComposeNode at, string? directory)
    {
        string[] parts = text.Split(':');
        if (parts.Length == 1)
            return new ServiceVolume("volume", null, parts[0], false, at);
        if (parts.Length > 3)
            throw new ComposeFileException(at, $"invalid volume specification: '{text}'");
        string source = parts[0];
        string target = parts[1];
        bool readOnly = parts.Length == 3 && parts[2].Split(',').Contains("ro");
        if (!target.StartsWith('/'))
            throw new ComposeFileException(at, $"invalid volume specification: '{text}': mount path must be absolute");
        bool bind = source.StartsWith('.') || source.StartsWith('/') || source.StartsWith('~');
        return new ServiceVolume(bind ? "bind" : "volume", bind ? HostPath(source, directory) : source, target, readOnly, at);
    }

    private static ServiceVolume Long(MapNode map, string? directory)
    {
        string type = (map["type"] as ScalarNode)?.Value ?? "volume";
        if (type is not ("volume" or "bind" or "tmpfs"))
            throw new ComposeFileException(map, $"volumes: type {type} is not supported by berth compose");
        string target = (map["target"] as ScalarNode)?.Value ?? throw new ComposeFileException(map, "volumes: target is required");
        string? source = (map["source"] as ScalarNode)?.Value;
        if (type == "bind")
            source = HostPath(source ?? throw new ComposeFileException(map, "volumes: a bind needs a source"), directory);
        bool readOnly = (map["read_only"] as ScalarNode)?.Value is "true" or "True";
        bool noCopy = ((map["volume"] as MapNode)?["nocopy"] as ScalarNode)?.Value is "true" or "True";
        long? size = ((map["tmpfs"] as MapNode)?["size"] as ScalarNode)?.Value is { } s ? Units.Bytes(s, map) : null;
        return new ServiceVolume(type, source, target, readOnly, map) { NoCopy = noCopy, TmpfsSize = size };
    }

    private static string HostPath(string source, string? directory)
    {
        if (source.StartsWith('~'))
            source = (Environment.GetEnvironmentVariable("HOME") ?? "/root") + source[1..];
        return directory is null ? source : Path.GetFullPath(source, directory);
    }
}
