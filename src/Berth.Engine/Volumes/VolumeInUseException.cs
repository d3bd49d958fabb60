namespace Berth.Engine.Volumes;

/// <summary>A volume that containers (running or not) still reference cannot be removed (409), as moby's errVolumeInUse.</summary>
public sealed class VolumeInUseException(string name, IEnumerable<string> containerIds)
    : EngineException(ErrorKind.Conflict, $"remove {name}: volume is in use - [{string.Join(", ", containerIds)}]");
