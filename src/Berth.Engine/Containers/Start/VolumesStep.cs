using Berth.Engine.Volumes;

namespace Berth.Engine.Containers.Start;

/// <summary>
/// The run's mounts (before "spec"): the volumes resolved at create are acquired (a volume with driver options is
/// mounted on the host by its first user), missing `-v` host directories created, tmpfs mounts added; the spec step
/// hands them to berth-init. The release lets the volumes go (the last user unmounts them). Creating named and
/// anonymous volumes and the copy-up of the image's files happen once, at create, as in moby
/// (create_unix.go populateVolumes), not at every start: <see cref="ContainerMounts"/>.
/// </summary>
internal sealed class VolumesStep(ContainerMounts mounts) : IStartStep
{
    public string Name => "volumes";

    public Task StartAsync(StartContext context, CancellationToken ct)
    {
        context.Mounts = mounts.Acquire(context.Container);
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(StartContext context)
    {
        if (context.Mounts is null)
            return Task.CompletedTask;
        context.Mounts = null;
        mounts.Release(context.Container);
        return Task.CompletedTask;
    }
}
