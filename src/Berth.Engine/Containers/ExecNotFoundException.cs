namespace Berth.Engine.Containers;

/// <summary>No exec instance has that id (HTTP 404).</summary>
public sealed class ExecNotFoundException(string id) : EngineException(ErrorKind.NotFound, $"No such exec instance: {id}");
