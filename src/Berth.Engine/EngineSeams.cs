using Berth.Engine.Cgroups;
using Berth.Engine.Containers.Host;

namespace Berth.Engine;

/// <summary>What a test may put in place of the host when it opens an engine; a null part is the host's own.</summary>
public sealed class EngineSeams
{
    /// <summary>Launch, signal, reap, rootfs mount and unmount.</summary>
    public ILifecycleHost? Host { get; init; }

    public ICgroupDriver? Cgroups { get; init; }
}
