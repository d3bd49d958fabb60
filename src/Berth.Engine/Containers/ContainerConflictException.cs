namespace Berth.Engine.Containers;

/// <summary>The container's state or name forbids the operation (HTTP 409).</summary>
public sealed class ContainerConflictException(string message) : EngineException(ErrorKind.Conflict, message);
