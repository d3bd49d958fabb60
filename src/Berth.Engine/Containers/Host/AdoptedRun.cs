using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Containers.Host;

/// <summary>A run berth-keeper kept while no engine ran: its process (maybe exited already) and the output fds the keeper held (roles stdout, stderr, tty).</summary>
public sealed record AdoptedRun(IContainerProcess Process, IReadOnlyList<(string Role, SafeFileHandle Fd)> Fds);
