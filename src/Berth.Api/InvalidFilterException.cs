namespace Berth.Api;

/// <summary>A `filters` value that is not Docker's JSON shape (the API answers 400).</summary>
public sealed class InvalidFilterException(string message, Exception? inner = null) : FormatException(message, inner);
