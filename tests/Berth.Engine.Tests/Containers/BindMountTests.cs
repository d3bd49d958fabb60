using Berth.Engine.Containers;
using NUnit.Framework;

namespace Berth.Engine.Tests.Containers;

public sealed class BindMountTests
{
    [Test]
    public void Parses_source_destination_and_mode()
    {
        Assert.That(BindMount.Parse("/srv/data:/data"), Is.EqualTo(new BindMount("/srv/data", "/data", false)));
        Assert.That(BindMount.Parse("/srv/data:/data:ro"), Is.EqualTo(new BindMount("/srv/data", "/data", true) { Mode = "ro" }));
        Assert.That(BindMount.Parse("/srv/data:/data:rw,z"), Is.EqualTo(new BindMount("/srv/data", "/data", false) { Mode = "rw,z" }));
        Assert.That(BindMount.Parse("/srv/../srv/x/:/data/./y"), Is.EqualTo(new BindMount("/srv/x", "/data/y", false)));
        Assert.That(BindMount.Parse("/srv:/data:ro,rshared").Propagation, Is.EqualTo("rshared"));
    }

    [Test]
    public void A_source_that_is_not_a_path_names_a_volume()
    {
        var named = BindMount.Parse("cache:/var/cache:ro,nocopy");
        Assert.That(named, Is.EqualTo(new BindMount("cache", "/var/cache", true) { Mode = "ro,nocopy", NoCopy = true }));
        Assert.That(named.IsVolume, Is.True);
        var anonymous = BindMount.Parse("/data");
        Assert.That((anonymous.Source, anonymous.Destination, anonymous.IsVolume), Is.EqualTo(("", "/data", true)));
    }

    [TestCase("/srv:/data:", "invalid volume specification")]
    [TestCase("/srv:ro", "invalid volume specification")]
    [TestCase("/srv:data", "mount path must be absolute")]
    [TestCase("name:data", "invalid mount config for type \"volume\"")]
    [TestCase("/srv:/", "destination can't be '/'")]
    [TestCase("/srv:/data:rx", "invalid mode: rx")]
    [TestCase("/srv:/data:ro,rw", "invalid mode: ro,rw")]
    [TestCase("/srv:/data:nocopy", "nocopy is only for volumes")]
    [TestCase("vol:/data:rshared", "propagation is only for bind mounts")]
    [TestCase("/a:/b:ro:extra", "invalid volume specification")]
    public void Refuses_bad_specifications(string bind, string message) =>
        Assert.That(() => BindMount.Parse(bind), Throws.TypeOf<InvalidParameterException>().With.Message.Contains(message));
}
