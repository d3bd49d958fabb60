namespace Berth.Engine.Archive;

/// <summary>A path that does not exist in the container (HTTP 404), with moby's containerFileNotFound message.</summary>
public sealed class ContainerPathNotFoundException(string path, string container)
    : EngineException(ErrorKind.NotFound, $"Could not find the file {path} in container {container}");
