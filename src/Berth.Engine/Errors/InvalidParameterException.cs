namespace Berth.Engine;

/// <summary>A parameter of the request is invalid (HTTP 400): a bad bind, signal, name, limit or filter.</summary>
public sealed class InvalidParameterException(string message, Exception? inner = null)
    : EngineException(ErrorKind.InvalidParameter, message, inner);
