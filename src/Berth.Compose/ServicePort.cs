namespace Berth.Compose;

/// <summary>One published or exposed port of a service: host address and port (empty: not published, or any free port when <see cref="Publish"/>), container port, protocol.</summary>
public sealed record ServicePort(string HostIp, string? Published, string Target, string Protocol, bool Publish, ComposeNode At);
