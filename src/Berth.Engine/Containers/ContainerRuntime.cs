using Berth.Engine.Cgroups;
using Berth.Engine.Containers.Host;
using Berth.Engine.Containers.Start;

namespace Berth.Engine.Containers;

/// <summary>What a running container holds on the host: the start context its steps filled (process, cgroup, output, stdin).</summary>
internal sealed class ContainerRuntime(StartContext context)
{
    public StartContext Context { get; } = context;

    public IContainerProcess Process => Context.Process!;

    public ContainerCgroup Cgroup => Context.Cgroup!;

    public ContainerStdin? Stdin => Context.Stdin;

    /// <summary>Live restore: berth-keeper is the parent of its process, which outlives this engine.</summary>
    public bool IsKept => Context.Process is KeptProcess;
}
