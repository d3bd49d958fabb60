using Berth.Engine.Security;
using NUnit.Framework;

namespace Berth.Engine.Tests.Security;

public sealed class CapabilitiesTests
{
    [Test]
    public void Dockers_default_set_is_the_mask_docker_reports() =>
        Assert.That(Capabilities.ToMask(Capabilities.DockerDefaults), Is.EqualTo(0xa80425fbUL));

    [Test]
    public void Add_and_drop_apply_to_the_default_set()
    {
        ulong mask = Capabilities.Resolve(["NET_ADMIN"], ["CAP_MKNOD", "chown"], privileged: false);
        Assert.That(mask & (1UL << Capabilities.Number("NET_ADMIN")), Is.Not.Zero);
        Assert.That(mask & (1UL << Capabilities.Number("MKNOD")), Is.Zero);
        Assert.That(mask & (1UL << Capabilities.Number("CAP_CHOWN")), Is.Zero);
        Assert.That(Capabilities.Resolve(null, ["ALL"], false), Is.Zero);
        Assert.That(Capabilities.Resolve(["SYS_ADMIN"], ["ALL"], false), Is.EqualTo(1UL << 21));
    }

    [Test]
    public void Privileged_and_ALL_grant_what_the_daemons_bounding_set_holds()
    {
        ulong all = Capabilities.ToMask(Capabilities.All);
        Assert.That(Capabilities.Resolve(null, null, privileged: true), Is.EqualTo(all & Capabilities.Bounding));
        Assert.That(Capabilities.Resolve(["ALL"], null, privileged: false), Is.EqualTo(all & Capabilities.Bounding));
        Assert.That(Capabilities.Resolve(null, null, privileged: true) & ~Capabilities.Bounding, Is.Zero, "capset would fail with EPERM");
        Assert.That(Capabilities.Unavailable.Select(Capabilities.Number).Select(n => (Capabilities.Bounding >> n) & 1), Has.All.Zero);
    }

    [Test]
    public void Unknown_names_are_refused() =>
        Assert.That(() => Capabilities.Resolve(["CAP_FLY"], null, false), Throws.TypeOf<InvalidParameterException>().With.Message.Contains("unknown capability"));
}
