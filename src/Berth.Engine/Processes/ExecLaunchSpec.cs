namespace Berth.Engine.Processes;

/// <summary>What berth-launcher's exec mode needs to run a command inside a running container.</summary>
public sealed record ExecLaunchSpec(
    int ContainerPid,
    IReadOnlyList<string> CgroupProcsFiles,
    uint Uid,
    uint Gid,
    IReadOnlyList<uint> AdditionalGids,
    ulong Capabilities,
    bool NoNewPrivileges,
    string WorkingDir,
    bool Terminal,
    IReadOnlyList<string> Args,
    IReadOnlyList<string> Env,
    byte[]? SeccompFilter);
