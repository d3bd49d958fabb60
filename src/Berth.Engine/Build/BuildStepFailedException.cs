namespace Berth.Engine.Build;

/// <summary>A step that failed while building (a RUN's non-zero exit, a missing COPY source): sent as the stream's errorDetail.</summary>
public sealed class BuildStepFailedException(string message, int code = 0, Exception? inner = null)
    : EngineException(ErrorKind.InvalidParameter, message, inner)
{
    /// <summary>The RUN's exit code; 0 for other failures.</summary>
    public int Code { get; } = code;
}
