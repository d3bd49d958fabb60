using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Containers.Host;

/// <summary>A launch under live restore: the container berth-keeper keeps, and its output fds (roles stdout, stderr; tty added at exec) the keeper holds a copy of.</summary>
public sealed record KeepRequest(string ContainerId, IReadOnlyList<(string Role, SafeFileHandle Fd)> Fds);
