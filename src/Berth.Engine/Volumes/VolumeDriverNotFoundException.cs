namespace Berth.Engine.Volumes;

/// <summary>A volume driver other than <c>local</c>: Berth has no plugins (moby answers 404 with these words).</summary>
public sealed class VolumeDriverNotFoundException(string driver)
    : EngineException(ErrorKind.NotFound, $"error looking up volume plugin {driver}: plugin \"{driver}\" not found");
