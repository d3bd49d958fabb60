using Berth.Engine.Containers;
using NUnit.Framework;

namespace Berth.Engine.Tests.Containers;

public sealed class BindMountTests
{
    [Test]
    public void Parses_source_destination_and_mode()
    {
        Assert.That(BindMount.Parse("/srv/data:/data"), Is.EqualTo(new BindMount("/srv/data", "/data", false)));
        Assert.That(BindMount.Parse("/srv/data:/data:ro"), Is.EqualTo(new BindMount("/srv/data", "/data", true)));
        Assert.That(BindMount.Parse("/srv/data:/data:rw,z"), Is.EqualTo(new BindMount("/srv/data", "/data", false)));
        Assert.That(BindMount.Parse("/srv/../srv/x/:/data/./y"), Is.EqualTo(new BindMount("/srv/x", "/data/y", false)));
    }

    [TestCase("named:/data", "named volumes are not supported")]
    [TestCase("/srv", "invalid volume specification")]
    [TestCase("/srv:data", "mount path must be absolute")]
    [TestCase("/srv:/", "destination can't be '/'")]
    [TestCase("/srv:/data:rx", "unknown option 'rx'")]
    [TestCase("/a:/b:ro:extra", "invalid volume specification")]
    public void Refuses_bad_specifications(string bind, string message) =>
        Assert.That(() => BindMount.Parse(bind), Throws.TypeOf<InvalidParameterException>().With.Message.Contains(message));
}
