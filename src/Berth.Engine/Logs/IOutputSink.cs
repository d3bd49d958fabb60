namespace Berth.Engine.Logs;

/// <summary>
/// A reader of a running container's output (an attached client). Called on the engine's I/O thread:
/// it must copy what it needs and return at once, never block the container on a slow reader.
/// </summary>
public interface IOutputSink
{
    void Write(LogStream stream, ReadOnlySpan<byte> data);

    /// <summary>All output has been delivered (the container's streams reached end of file).</summary>
    void Complete();
}
