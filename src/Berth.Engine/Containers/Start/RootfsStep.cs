using Berth.Engine.Containers.Host;
using Berth.Engine.Images;

namespace Berth.Engine.Containers.Start;

/// <summary>Mounts the container's overlay rootfs (the image's layers under its own upper dir); unmounts it on release.</summary>
internal sealed class RootfsStep(ImageStore images, ILifecycleHost host) : IStartStep
{
    public string Name => "rootfs";

    public Task StartAsync(StartContext context, CancellationToken ct)
    {
        var rootfs = context.Container.Rootfs;
        rootfs.Create();
        if (!host.IsRootfsMounted(rootfs))
            host.MountRootfs(rootfs, images.GetLayerDirectories(context.Image));
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(StartContext context)
    {
        host.UnmountRootfs(context.Container.Rootfs);
        return Task.CompletedTask;
    }
}
