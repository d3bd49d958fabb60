using System.Text.Json;

namespace Berth.Engine.Archive;

/// <summary>
/// What Docker's <c>HEAD/GET /containers/{id}/archive</c> reports about a path, as moby's api/types
/// container.PathStat: the base name, the size and Go FileMode (<see cref="GoFileMode"/>) of the path itself
/// (not of a symlink's target), its mtime and, for a symlink, its target fully resolved inside the container.
/// </summary>
public sealed record PathStat(string Name, long Size, uint Mode, DateTimeOffset Mtime, string LinkTarget)
{
    /// <summary>The response header that carries <see cref="ToHeaderValue"/>.</summary>
    public const string HeaderName = "X-Docker-Container-Path-Stat";

    public bool IsDirectory => (Mode & GoFileMode.Dir) != 0;

    /// <summary>The JSON Go writes for the struct: {"name","size","mode","mtime","linkTarget"}, mtime in RFC 3339 with nanoseconds.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("name", Name);
            json.WriteNumber("size", Size);
            json.WriteNumber("mode", Mode);
            // Go's time.Time JSON (RFC3339Nano): trailing zeros of the fraction are dropped, and the dot with them.
            json.WriteString("mtime", Mtime.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("linkTarget", LinkTarget);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The value of the <see cref="HeaderName"/> header: the JSON in standard base64, as moby's router encodes it.</summary>
    public string ToHeaderValue() => Convert.ToBase64String(ToJson());
}
