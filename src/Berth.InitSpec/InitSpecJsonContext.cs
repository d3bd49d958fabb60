using System.Text.Json.Serialization;

namespace Berth.InitSpec;

[JsonSerializable(typeof(InitSpec))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
public sealed partial class InitSpecJsonContext : JsonSerializerContext;
