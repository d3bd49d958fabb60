namespace Berth.Engine.Containers;

/// <summary>No container has that id, id prefix or name (HTTP 404).</summary>
public sealed class ContainerNotFoundException(string idOrName)
    : EngineException(ErrorKind.NotFound, $"No such container: {idOrName}");
