using System.Text.Json.Nodes;

namespace Berth.TestImages;

/// <summary>
/// stamp.json, written last after a build: the sha256 of every output. A cache whose stamp is missing or
/// does not match its files is rebuilt. Bump <see cref="Version"/> when the builder's output changes.
/// </summary>
internal static class FixtureStamp
{
    const int Version = 1;

    public static string PathIn(TestImageSet set) => Path.Combine(Path.GetDirectoryName(set.BusyboxDebPath)!, "stamp.json");

    public static void Write(TestImageSet set)
    {
        var path = PathIn(set);
        File.WriteAllBytes(path + ".tmp", Json.Bytes(Expected(set)));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public static bool IsValid(TestImageSet set)
    {
        try
        {
            var stamp = JsonNode.Parse(File.ReadAllBytes(PathIn(set)));
            return JsonNode.DeepEquals(stamp, Expected(set));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return false;
        }
    }

    static JsonObject Expected(TestImageSet set)
    {
        var files = new JsonObject();
        foreach (var path in set.Archives().Append(set.BusyboxDebPath))
            files[Path.GetFileName(path)] = Sha256Hex.OfFile(path);
        return new JsonObject
        {
            ["version"] = Version,
            ["files"] = files,
            ["rootfs"] = FixtureBuilder.RootfsDigest(set),
        };
    }
}
