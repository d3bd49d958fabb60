using Berth.Engine.Host;
using NUnit.Framework;

namespace Berth.Engine.Tests.Host;

public sealed class MountInfoTests
{
    // The cgroup part of /proc/self/mountinfo on the hybrid development host.
    private const string HybridHost = """
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw

        """;

    [Test]
    public void ParsesEveryField()
    {
        var mounts = MountInfo.Parse(HybridHost);

        Assert.That(mounts, Has.Count.EqualTo(4));
        MountInfo memory = mounts[2];
        Assert.Multiple(() =>
        {
            Assert.That(memory.MountId, Is.EqualTo(35));
            Assert.That(memory.ParentId, Is.EqualTo(31));
            Assert.That(memory.Device, Is.EqualTo("0:32"));
            Assert.That(memory.Root, Is.EqualTo("/"));
            Assert.That(memory.MountPoint, Is.EqualTo("/sys/fs/cgroup/memory"));
            Assert.That(memory.MountOptions, Is.EqualTo("rw,relatime"));
            Assert.That(memory.OptionalFields, Is.Empty);
            Assert.That(memory.FileSystemType, Is.EqualTo("cgroup"));
            Assert.That(memory.Source, Is.EqualTo("cgroup"));
            Assert.That(memory.SuperOptionList, Is.EqualTo(new[] { "rw", "memory" }));
            Assert.That(mounts[3].FileSystemType, Is.EqualTo("cgroup2"));
        });
    }

    [Test]
    public void ParsesOptionalFieldsAndOctalEscapes()
    {
        var mount = MountInfo.ParseLine(@"98 23 0:50 /a\040b /mnt/with\040space\134x rw shared:1 master:2 - overlay over\011lay rw,lowerdir=/l");

        Assert.Multiple(() =>
        {
            Assert.That(mount.Root, Is.EqualTo("/a b"));
            Assert.That(mount.MountPoint, Is.EqualTo(@"/mnt/with space\x"));
            Assert.That(mount.OptionalFields, Is.EqualTo(new[] { "shared:1", "master:2" }));
            Assert.That(mount.FileSystemType, Is.EqualTo("overlay"));
            Assert.That(mount.Source, Is.EqualTo("over\tlay"));
            Assert.That(mount.SuperOptions, Is.EqualTo("rw,lowerdir=/l"));
        });
    }

    [TestCase("")]
    [TestCase("31 23 0:28 / /sys/fs/cgroup rw,relatime tmpfs tmpfs rw")]
    [TestCase("x 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw")]
    [TestCase("31 23 0:28 / /sys/fs/cgroup rw - tmpfs")]
    public void RejectsMalformedLines(string line) =>
        Assert.That(() => MountInfo.ParseLine(line), Throws.TypeOf<FormatException>());

    [Test]
    public void ReadsTheRealMountTable() =>
        Assert.That(MountInfo.ReadSelf(), Has.Some.Matches<MountInfo>(m => m.MountPoint == "/"));
}
