using System.Text.Json.Nodes;

namespace Berth.Cli.Tests;

/// <summary>Where two JSON documents differ; a member that is null on one side and absent on the other is no difference (Go's omitempty).</summary>
internal static class JsonDiff
{
    public static List<string> Differences(JsonNode? expected, JsonNode? actual) => Differences(expected, actual, "").ToList();

    private static IEnumerable<string> Differences(JsonNode? expected, JsonNode? actual, string path)
    {
        if (expected is JsonObject expectedObject && actual is JsonObject actualObject)
        {
            foreach (var (key, value) in expectedObject)
            {
                if (!actualObject.ContainsKey(key))
                {
                    if (value is not null)
                        yield return $"{path}.{key}: missing";
                }
                else
                {
                    foreach (var difference in Differences(value, actualObject[key], path + "." + key))
                        yield return difference;
                }
            }
            foreach (var (key, value) in actualObject)
                if (!expectedObject.ContainsKey(key) && value is not null)
                    yield return $"{path}.{key}: not sent by docker ({value.ToJsonString()})";
            yield break;
        }
        if (!JsonNode.DeepEquals(expected, actual))
            yield return $"{path}: docker {expected?.ToJsonString() ?? "null"}, berth {actual?.ToJsonString() ?? "null"}";
    }
}
