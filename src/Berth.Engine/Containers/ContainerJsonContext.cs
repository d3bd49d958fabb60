using System.Text.Json.Serialization;

namespace Berth.Engine.Containers;

[JsonSerializable(typeof(ContainerRecord))]
[JsonSerializable(typeof(ContainerState))]
[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class ContainerJsonContext : JsonSerializerContext;
