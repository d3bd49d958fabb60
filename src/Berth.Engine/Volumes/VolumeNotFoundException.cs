namespace Berth.Engine.Volumes;

/// <summary>moby's "get NAME: no such volume" (404).</summary>
public sealed class VolumeNotFoundException(string name) : EngineException(ErrorKind.NotFound, $"get {name}: no such volume")
{
    public string Name { get; } = name;
}
