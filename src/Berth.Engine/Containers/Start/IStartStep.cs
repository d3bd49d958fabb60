namespace Berth.Engine.Containers.Start;

/// <summary>
/// One step of a container start (rootfs, cgroup, spec, io, launch; later network and volumes). A step reads what the
/// steps before it put in the <see cref="StartContext"/> and adds its own. <see cref="ReleaseAsync"/> undoes it: in
/// reverse order when a later step fails, and when the run ends (the monitor's release). It must be idempotent, free
/// what it holds even when it throws, and see in the context what it did and did not do.
/// </summary>
public interface IStartStep
{
    /// <summary>A short name for logs and timings ("rootfs", "cgroup", ...).</summary>
    string Name { get; }

    Task StartAsync(StartContext context, CancellationToken ct);

    Task ReleaseAsync(StartContext context);
}
