using Berth.Engine.Cgroups;
using Berth.Engine.Containers.Host;
using Berth.Engine.Processes;
using Berth.Engine.Rootfs;
using Berth.Engine.Security;

namespace Berth.Engine.Containers.Start;

/// <summary>Builds berth-init's spec: the merged config, the resolved user, the cgroup mount, masked paths, binds.</summary>
internal sealed class SpecStep(ICgroupDriver cgroups, ILifecycleHost host) : IStartStep
{
    private readonly IReadOnlyList<string> _maskedPaths = DefaultPaths.Masked();

    public string Name => "spec";

    public Task StartAsync(StartContext context, CancellationToken ct)
    {
        var record = context.Container.Record;
        string rootfs = context.Container.Rootfs.MergedDirectory;
        foreach (string bind in record.HostConfig.Binds ?? [])
        {
            // Like `docker run -v`, a missing host directory is created.
            var mount = BindMount.Parse(bind);
            if (!Path.Exists(mount.Source))
                Directory.CreateDirectory(mount.Source);
        }
        ResolvedUser user;
        try
        {
            user = UserResolver.Resolve(rootfs, record.Config.User);
        }
        catch (InvalidParameterException e)
        {
            throw new ContainerStartException(128, e.Message);
        }
        var spec = ContainerSpecBuilder.Build(record.Id, record.Config, record.HostConfig, rootfs, user, cgroups.ContainerMount(), _maskedPaths);
        if (record.HostConfig.Init)
        {
            spec.InitProgram = host.ReaperPath;
            spec.Args.InsertRange(0, ["/dev/init", "--"]);
        }
        context.Spec = spec;
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(StartContext context) => Task.CompletedTask;
}
