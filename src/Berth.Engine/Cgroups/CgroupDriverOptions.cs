namespace Berth.Engine.Cgroups;

/// <summary>Where the drivers put container cgroups, and where they read the process's own placement from.</summary>
public sealed class CgroupDriverOptions
{
    /// <summary>The directory below the engine's own cgroup that holds one cgroup per container.</summary>
    public string ParentName { get; init; } = "berth";

    /// <summary>
    /// v2 only: the leaf below its own cgroup that the engine moves itself into when it must enable controllers
    /// there (no process may live in a cgroup that distributes controllers to children).
    /// </summary>
    public string EngineLeafName { get; init; } = "berthd";

    /// <summary>The proc filesystem whose <c>self/mountinfo</c> and <c>self/cgroup</c> describe the engine; tests point it at a fake.</summary>
    public string ProcRoot { get; init; } = "/proc";

    /// <summary>How long <see cref="ContainerCgroup.Freeze"/> waits for the freezer to report frozen.</summary>
    public TimeSpan FreezeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Test seam for a fake cgroupfs: replaces mkdir of a cgroup directory (false when it exists), so the fake can create
    /// the directory with its control files at once, the way the kernel does.
    /// </summary>
    internal Func<string, bool>? MakeDirectory { get; init; }

    /// <summary>Test seam for a fake cgroupfs: called before each control-file write with the path and value; may throw to play the kernel refusing it.</summary>
    internal Action<string, string>? OnWrite { get; init; }

    /// <summary>Test seam for a fake cgroupfs: replaces loading and attaching the v2 eBPF device filter to a cgroup directory.</summary>
    internal Action<string, IReadOnlyList<DeviceRule>>? AttachDeviceFilter { get; init; }
}
