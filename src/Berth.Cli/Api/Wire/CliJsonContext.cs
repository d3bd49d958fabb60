using System.Text.Json.Serialization;

namespace Berth.Cli.Api.Wire;

/// <summary>
/// Source-generated JSON for what only the client reads, as the docker CLI reads it (case-insensitive, unknown
/// members ignored): the archive path stat, events with their legacy fields and null attributes kept apart, and the
/// stats counters docker/cli computes with (networks included). Everything the daemon and the CLI share is in
/// Berth.Api; the exec request bodies write themselves, byte for byte as Go does.
/// </summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(PathStat))]
[JsonSerializable(typeof(EventMessage))]
[JsonSerializable(typeof(StatsResponse))]
public sealed partial class CliJsonContext : JsonSerializerContext
{
}
