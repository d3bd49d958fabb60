using Berth.Engine.Cgroups;
using Berth.Engine.Logs;
using Berth.Engine.Processes;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Containers;

/// <summary>What a running container holds on the host: its process, cgroup, output pipes and stdin.</summary>
internal sealed class ContainerRuntime(LaunchedProcess process, ContainerCgroup cgroup, ContainerOutput output, SafeFileHandle? stdin)
{
    public LaunchedProcess Process { get; } = process;

    public ContainerCgroup Cgroup { get; } = cgroup;

    public ContainerOutput Output { get; } = output;

    /// <summary>The write end of the container's stdin pipe, when it was started with OpenStdin.</summary>
    public SafeFileHandle? Stdin { get; set; } = stdin;

    public long ExitRegistration { get; set; }
}
