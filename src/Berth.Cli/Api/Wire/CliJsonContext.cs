using System.Text.Json.Serialization;

namespace Berth.Cli.Api.Wire;

/// <summary>
/// Source-generated JSON for the answers only the CLI reads, read as the docker CLI reads them: case-insensitive,
/// unknown members ignored. (The exec request bodies write themselves, byte for byte as Go does.)
/// </summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ExecInspect))]
[JsonSerializable(typeof(IdResponse))]
[JsonSerializable(typeof(TopResponse))]
[JsonSerializable(typeof(List<FilesystemChange>))]
[JsonSerializable(typeof(PathStat))]
[JsonSerializable(typeof(EventMessage))]
[JsonSerializable(typeof(StatsResponse))]
public sealed partial class CliJsonContext : JsonSerializerContext
{
}
