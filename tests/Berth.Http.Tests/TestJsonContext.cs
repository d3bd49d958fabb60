using System.Text.Json.Serialization;

namespace Berth.Http.Tests;

public sealed record ExecCreateRequest(string[] Cmd, bool AttachStdout);

public sealed record IdResponse(string Id);

/// <summary>Source-generated JSON metadata, as the daemon and CLI projects will have their own.</summary>
[JsonSerializable(typeof(ExecCreateRequest))]
[JsonSerializable(typeof(IdResponse))]
public sealed partial class TestJsonContext : JsonSerializerContext;
