using Berth.Engine.Cgroups;
using Berth.Engine.Containers.Host;
using Berth.Engine.Images;
using Berth.Engine.Logs;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Containers.Start;

/// <summary>What the start steps of one run share: each step fills in its part, the later ones read it.</summary>
public sealed class StartContext(Container container, Image image)
{
    public Container Container { get; } = container;

    public Image Image { get; } = image;

    /// <summary>The cgroup step's cgroup.</summary>
    public ContainerCgroup? Cgroup { get; set; }

    /// <summary>The volumes step's mounts (binds, volumes, tmpfs), parents first; null when it did not run or was released.</summary>
    public IReadOnlyList<InitSpec.InitMount>? Mounts { get; set; }

    /// <summary>The instructions for berth-init, built by the spec step; later steps may add to them before the launch.</summary>
    public InitSpec.InitSpec? Spec { get; set; }

    /// <summary>The io step's output reader (log file and attached clients).</summary>
    public ContainerOutput? Output { get; set; }

    /// <summary>The container's stdin, when it has one.</summary>
    internal ContainerStdin? Stdin { get; set; }

    /// <summary>berthd's read ends of the output pipes (roles stdout, stderr): under live restore berth-keeper holds a copy.</summary>
    internal List<(string Role, SafeFileHandle Fd)> OutputFds { get; } = [];

    /// <summary>The child's fds 0, 1 and 2, closed in berthd once the process has them.</summary>
    public List<SafeFileHandle> ChildStdio { get; } = [];

    /// <summary>The launch step's child, paused before the exec of the command until the exec step continues it.</summary>
    public IStartingProcess? Child { get; set; }

    /// <summary>
    /// The child's host pid, set by the launch step: from then on its namespaces exist (/proc/PID/ns/*), and the
    /// steps before "exec" may act on them while the command has not run yet.
    /// </summary>
    public int? ChildPid => Child?.Pid;

    /// <summary>The network step's namespace (a bind mount under the run directory), when it made one.</summary>
    public string? NetworkSandbox { get; set; }

    /// <summary>The ID of the network the network step connected the container to, when it did.</summary>
    public string? NetworkId { get; set; }

    /// <summary>The exec step's running process.</summary>
    public IContainerProcess? Process { get; set; }

    /// <summary>Closes berthd's copies of the child's ends: after the launch, or when the start failed before it.</summary>
    internal void CloseChildEnds()
    {
        foreach (var handle in ChildStdio)
            handle.Dispose();
        ChildStdio.Clear();
    }

    /// <summary>How long each step took, by name.</summary>
    public Dictionary<string, TimeSpan> StepTimes { get; } = [];
}
