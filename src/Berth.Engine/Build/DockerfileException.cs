using Berth.Engine;

namespace Berth.Engine.Build;

/// <summary>A Dockerfile that cannot be parsed or built as written: the client's mistake (400), naming the line.</summary>
public sealed class DockerfileException(int line, string message)
    : EngineException(ErrorKind.InvalidParameter, line > 0 ? $"dockerfile parse error on line {line}: {message}" : message)
{
    public int Line { get; } = line;
}
