using Berth.Engine;
using Berth.Engine.Cgroups;
using Berth.Engine.Containers;
using Berth.Engine.Rootfs;
using Berth.Integration.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Integration.Tests.Containers;

/// <summary>An engine opened on a data root that a crashed engine left behind reconciles it with the kernel.</summary>
[TestFixture]
[NonParallelizable]
public sealed class EngineRecoveryTests
{
    [Test]
    public async Task Leftover_cgroups_and_mounts_are_removed_and_containers_keep_their_state()
    {
        await using var test = await TestEngine.StartAsync();
        var stopped = await test.RunAsync("sh", "-c", "echo before; exit 4");
        var halfStarted = test.Containers.Create(null, new ContainerConfig { Image = "busybox", Cmd = ["true"] }, new HostConfig());
        // What a crash in the middle of a start leaves: the rootfs mounted and a cgroup, without a running state.
        halfStarted.Rootfs.Mount(test.Engine.Images.GetLayerDirectories(test.Engine.Images.Find("busybox")!));
        test.Engine.Cgroups.Create(halfStarted.Id, new CgroupLimits());
        string stranger = new('e', 64);
        test.Engine.Cgroups.Create(stranger, new CgroupLimits());

        // The first engine stays open, as a berthd killed with -9 would leave everything but its lock.
        var options = new EngineOptions { DataRoot = test.Engine.Options.DataRoot, HelperDirectory = test.Engine.Options.HelperDirectory, CgroupParent = test.Engine.Options.CgroupParent, LockDataRoot = false };
        await using (var reopened = await ContainerEngine.OpenAsync(options, TestLogging.Factory))
        {
            Assert.That(reopened.Cgroups.ListContainerIds(), Is.Empty, "leftover and stranger cgroups removed");
            Assert.That(MountTable.IsMountPoint(halfStarted.Rootfs.MergedDirectory), Is.False, "leftover rootfs unmounted");
            var recovered = reopened.Containers.Get(stopped.Container.Id);
            Assert.That(recovered.State.ExitCode, Is.EqualTo(4));
            Assert.That(recovered.State.Status, Is.EqualTo(ContainerStatus.Exited));
            Assert.That(TestEngine.ReadLog(recovered.LogPath, Berth.Engine.Logs.LogStream.Stdout), Is.EqualTo("before\n"));
            Assert.That(reopened.Containers.Get(halfStarted.Id).State.Status, Is.EqualTo(ContainerStatus.Created));

            var again = reopened.Containers.WaitAsync(halfStarted.Id, WaitCondition.NextExit);
            await reopened.Containers.StartAsync(halfStarted.Id);
            Assert.That((await again).ExitCode, Is.EqualTo(0), "the half-started container starts normally");
        }
    }
}
