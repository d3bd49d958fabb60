using System.Diagnostics;
using Berth.Engine.Cgroups;
using Berth.Engine.Host;
using Berth.Integration.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Integration.Tests.Cgroups;

/// <summary>
/// The eBPF device filter loaded into the real kernel and attached to a real cgroup2 directory (the unified
/// hierarchy of a hybrid host, or /sys/fs/cgroup on a v2 host): a process in it can use /dev/null but not a disk.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category("Cgroups")]
public sealed class DeviceFilterKernelTests
{
    [Test]
    public async Task The_kernel_enforces_the_compiled_docker_rules()
    {
        RootRequirement.Check();
        var cgroup2 = MountInfo.ReadSelf().FirstOrDefault(m => m.FileSystemType == "cgroup2")
            ?? throw new IgnoreException("no cgroup2 mount on this host: the eBPF device filter has nowhere to attach");
        string own = File.ReadLines("/proc/self/cgroup").First(l => l.StartsWith("0::", StringComparison.Ordinal))[3..];
        string directory = Path.Combine(cgroup2.MountPoint, own.TrimStart('/'), "berth-test-devices-" + Guid.NewGuid().ToString("N")[..8]);
        string node = Path.Combine("/var/tmp", "berth-test-blockdev-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            DeviceFilter.Attach(directory, DeviceRules.DockerDefaults);
            // The shell joins the cgroup, then tries devices: /dev/null (allowed), a loop block device node (mknod allowed, open denied).
            string script = $"echo 0 > {directory}/cgroup.procs && echo ok > /dev/null && echo null-ok; " +
                            $"mknod {node} b 7 0 && echo mknod-ok; head -c 1 {node} > /dev/null 2>&1 && echo open-ok || echo open-denied";
            var psi = new ProcessStartInfo("/bin/sh", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(psi)!;
            string output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "null-ok", "mknod-ok", "open-denied" }));
        }
        finally
        {
            File.Delete(node);
            for (int i = 0; i < 100 && Directory.Exists(directory); i++)
            {
                try
                {
                    Directory.Delete(directory);
                }
                catch (IOException)
                {
                    await Task.Delay(20); // the shell is still leaving the cgroup
                }
            }
        }
        Assert.That(Directory.Exists(directory), Is.False, "test cgroup removed");
    }
}
