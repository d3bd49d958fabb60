namespace Berth.Api;

/// <summary>
/// The <c>{}</c> values of Docker's set-like maps (<c>ExposedPorts: {"80/tcp": {}}</c>, <c>Volumes: {"/data": {}}</c>).
/// Reads any object (its members are ignored) and writes <c>{}</c>.
/// </summary>
public sealed class EmptyObject
{
}
