using Berth.Cli.Options;
using NUnit.Framework;

namespace Berth.Cli.Tests.Unit;

/// <summary>docker's --mount syntax (docker/cli opts/mount.go) and its error messages.</summary>
public sealed class MountOptionTests
{
    [Test]
    public void A_volume_mount_with_its_options()
    {
        var mount = MountOption.Parse("type=volume,src=cache,dst=/var/cache,readonly,volume-nocopy,volume-label=a=b,volume-opt=type=tmpfs,volume-opt=device=tmpfs");
        Assert.That((mount.Type, mount.Source, mount.Target, mount.ReadOnly), Is.EqualTo(("volume", "cache", "/var/cache", true)));
        Assert.That(mount.VolumeOptions!.NoCopy, Is.True);
        Assert.That(mount.VolumeOptions.Labels, Is.EqualTo(new Dictionary<string, string> { ["a"] = "b" }));
        Assert.That(mount.VolumeOptions.DriverConfig!.Options, Is.EqualTo(new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs" }));
    }

    [Test]
    public void The_type_defaults_to_volume_and_keys_have_their_aliases()
    {
        var mount = MountOption.Parse("source=data,destination=/d,ro=true");
        Assert.That((mount.Type, mount.Source, mount.Target, mount.ReadOnly), Is.EqualTo(("volume", "data", "/d", true)));
        Assert.That(MountOption.Parse("type=bind,source=/srv,target=/srv,bind-propagation=rshared").BindOptions!.Propagation, Is.EqualTo("rshared"));
    }

    [Test]
    public void Tmpfs_size_is_ram_in_bytes_and_mode_octal()
    {
        var mount = MountOption.Parse("type=tmpfs,dst=/run,tmpfs-size=64m,tmpfs-mode=1770");
        Assert.That(mount.TmpfsOptions!.SizeBytes, Is.EqualTo(64L << 20));
        Assert.That(mount.TmpfsOptions.Mode, Is.EqualTo(0x3F8u));
    }

    [TestCase("type=volume,dst=/d,colour=red", "unexpected key 'colour' in 'colour=red'")]
    [TestCase("type=volume,dst=/d,bogus", "invalid field 'bogus' must be a key=value pair")]
    [TestCase("type=tmpfs,dst=/t,tmpfs-size=lots", "invalid value for tmpfs-size: lots")]
    [TestCase("type=tmpfs,dst=/t,tmpfs-mode=999", "invalid value for tmpfs-mode: 999")]
    [TestCase("type=volume,dst=/d,readonly=maybe", "invalid value for readonly: maybe")]
    [TestCase("type=bind,src=/a", "target is required")]
    [TestCase("type=bind,src=/a,dst=/b,volume-nocopy", "cannot mix 'volume-*' options with mount type 'bind'")]
    [TestCase("type=volume,dst=/b,tmpfs-size=1m", "cannot mix 'tmpfs-*' options with mount type 'volume'")]
    [TestCase("type=tmpfs,dst=/b,bind-propagation=shared", "cannot mix 'bind-*' options with mount type 'tmpfs'")]
    public void Bad_mounts_are_refused_with_docker_s_words(string value, string message) =>
        Assert.That(Assert.Throws<FlagValueException>(() => MountOption.Parse(value))!.Message, Is.EqualTo(message));
}
