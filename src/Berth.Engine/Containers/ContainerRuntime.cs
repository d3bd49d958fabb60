using Berth.Engine.Cgroups;
using Berth.Engine.Logs;
using Berth.Engine.Processes;

namespace Berth.Engine.Containers;

/// <summary>What a running container holds on the host: its process, cgroup, output pipes and stdin.</summary>
internal sealed class ContainerRuntime(LaunchedProcess process, ContainerCgroup cgroup, ContainerOutput output, ContainerStdin? stdin)
{
    public LaunchedProcess Process { get; } = process;

    public ContainerCgroup Cgroup { get; } = cgroup;

    public ContainerOutput Output { get; } = output;

    /// <summary>The container's stdin pipe, when it was started with OpenStdin.</summary>
    public ContainerStdin? Stdin { get; } = stdin;

    public long ExitRegistration { get; set; }
}
