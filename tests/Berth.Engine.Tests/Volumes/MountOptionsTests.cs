using Berth.Engine.Volumes;
using Berth.Interop;
using NUnit.Framework;

namespace Berth.Engine.Tests.Volumes;

public sealed class MountOptionsTests
{
    [TestCase("100", 100L)]
    [TestCase("64m", 64L << 20)]
    [TestCase("1.5g", 3L << 29)]
    [TestCase("2KiB", 2048L)]
    [TestCase("10MB", 10L << 20)]
    public void Sizes_read_as_go_units_RAMInBytes(string text, long bytes) => Assert.That(ByteSize.Parse(text, "size"), Is.EqualTo(bytes));

    [TestCase("")]
    [TestCase("lots")]
    [TestCase("12x")]
    [TestCase("-1m")]
    public void A_size_that_is_not_a_size_is_refused(string text) =>
        Assert.That(() => ByteSize.Parse(text, "tmpfs size"), Throws.TypeOf<InvalidParameterException>().With.Message.Contains("is not a size"));

    [Test]
    public void Tmpfs_options_get_moby_defaults_sizes_in_bytes_and_octal_modes()
    {
        string words = TmpfsOptions.Normalize("/run", "size=64m,mode=1777,exec,uid=1000");
        Assert.That(words, Is.EqualTo("noexec,nosuid,nodev,size=67108864,mode=1777,exec,uid=1000"));
        var (flags, data) = TmpfsOptions.ToMount(words);
        Assert.That(flags, Is.EqualTo(Libc.MS_NOSUID | Libc.MS_NODEV), "exec after the default noexec clears it");
        Assert.That(data, Is.EqualTo("size=67108864,mode=1777,uid=1000"));
        Assert.That(TmpfsOptions.FromSpec(1 << 20, 0x1C0, readOnly: true), Is.EqualTo("noexec,nosuid,nodev,ro,size=1048576,mode=700"));
    }

    [TestCase("size=big", "invalid tmpfs size for /t: 'big' is not a size")]
    [TestCase("mode=999", "mode \"999\" is not an octal file mode")]
    [TestCase("colour=red", "unknown option \"colour\"")]
    public void Bad_tmpfs_options_are_refused(string options, string message) =>
        Assert.That(() => TmpfsOptions.Normalize("/t", options), Throws.TypeOf<InvalidParameterException>().With.Message.Contains(message));

    [Test]
    public void Volume_o_splits_mount_flags_from_filesystem_data()
    {
        var (flags, data) = LocalVolumeOptions.Split("ro,bind,nosuid,addr=10.0.0.1,vers=4");
        Assert.That(flags, Is.EqualTo(Libc.MS_RDONLY | Libc.MS_BIND | Libc.MS_NOSUID));
        Assert.That(data, Is.EqualTo("addr=10.0.0.1,vers=4"));
    }
}
