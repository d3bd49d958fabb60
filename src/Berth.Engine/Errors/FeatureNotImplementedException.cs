namespace Berth.Engine;

/// <summary>A Docker feature Berth does not have (HTTP 501).</summary>
public sealed class FeatureNotImplementedException(string message)
    : EngineException(ErrorKind.NotImplemented, message);
