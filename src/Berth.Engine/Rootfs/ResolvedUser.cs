namespace Berth.Engine.Rootfs;

/// <summary>The numeric identity a container's process runs as, and the home directory for HOME.</summary>
public sealed record ResolvedUser(uint Uid, uint Gid, IReadOnlyList<uint> AdditionalGids, string Home);
