using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>One entry of <c>DELETE /images/{name}</c>: either <c>{"Untagged": ref}</c> or <c>{"Deleted": id}</c>.</summary>
public sealed class ImageDeleteResponseItem
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Untagged { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Deleted { get; set; }
}
