using System.Text.Json.Serialization;

namespace Berth.Engine.Volumes;

[JsonSerializable(typeof(Volume))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class VolumeJsonContext : JsonSerializerContext;
