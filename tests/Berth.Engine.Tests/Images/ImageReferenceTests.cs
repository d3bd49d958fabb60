using Berth.Common;
using Berth.Engine.Images;
using NUnit.Framework;

namespace Berth.Engine.Tests.Images;

/// <summary>Docker's reference normalisation (distribution/reference ParseNormalizedNamed + TagNameOnly).</summary>
public sealed class ImageReferenceTests
{
    private const string Sha = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    // input, full form, familiar form, domain, path, tag, digest
    [TestCase("busybox", "docker.io/library/busybox:latest", "busybox:latest", "docker.io", "library/busybox", "latest", null)]
    [TestCase("busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36", "docker.io", "library/busybox", "1.36", null)]
    [TestCase("library/busybox", "docker.io/library/busybox:latest", "busybox:latest", "docker.io", "library/busybox", "latest", null)]
    [TestCase("docker.io/busybox", "docker.io/library/busybox:latest", "busybox:latest", "docker.io", "library/busybox", "latest", null)]
    [TestCase("docker.io/library/busybox:latest", "docker.io/library/busybox:latest", "busybox:latest", "docker.io", "library/busybox", "latest", null)]
    [TestCase("index.docker.io/library/busybox", "docker.io/library/busybox:latest", "busybox:latest", "docker.io", "library/busybox", "latest", null)]
    [TestCase("user/app", "docker.io/user/app:latest", "user/app:latest", "docker.io", "user/app", "latest", null)]
    [TestCase("user/app/sub:v2", "docker.io/user/app/sub:v2", "user/app/sub:v2", "docker.io", "user/app/sub", "v2", null)]
    [TestCase("localhost/x", "localhost/x:latest", "localhost/x:latest", "localhost", "x", "latest", null)]
    [TestCase("localhost:5000/x", "localhost:5000/x:latest", "localhost:5000/x:latest", "localhost:5000", "x", "latest", null)]
    [TestCase("registry.example.com/team/app:v1", "registry.example.com/team/app:v1", "registry.example.com/team/app:v1", "registry.example.com", "team/app", "v1", null)]
    [TestCase("registry.example.com:5000/team/app:v1.2-rc_3", "registry.example.com:5000/team/app:v1.2-rc_3", "registry.example.com:5000/team/app:v1.2-rc_3", "registry.example.com:5000", "team/app", "v1.2-rc_3", null)]
    [TestCase("127.0.0.1:5000/app", "127.0.0.1:5000/app:latest", "127.0.0.1:5000/app:latest", "127.0.0.1:5000", "app", "latest", null)]
    [TestCase("[::1]:5000/app:t", "[::1]:5000/app:t", "[::1]:5000/app:t", "[::1]:5000", "app", "t", null)]
    [TestCase("busybox@" + Sha, "docker.io/library/busybox@" + Sha, "busybox@" + Sha, "docker.io", "library/busybox", null, Sha)]
    [TestCase("busybox:1.36@" + Sha, "docker.io/library/busybox:1.36@" + Sha, "busybox:1.36@" + Sha, "docker.io", "library/busybox", "1.36", Sha)]
    [TestCase("localhost:5000/x@" + Sha, "localhost:5000/x@" + Sha, "localhost:5000/x@" + Sha, "localhost:5000", "x", null, Sha)]
    [TestCase("my_app", "docker.io/library/my_app:latest", "my_app:latest", "docker.io", "library/my_app", "latest", null)]
    [TestCase("my__app.v2--x", "docker.io/library/my__app.v2--x:latest", "my__app.v2--x:latest", "docker.io", "library/my__app.v2--x", "latest", null)]
    [TestCase("Registry.Example.com/app", "Registry.Example.com/app:latest", "Registry.Example.com/app:latest", "Registry.Example.com", "app", "latest", null)]
    [TestCase("a/b/c/d/e", "docker.io/a/b/c/d/e:latest", "a/b/c/d/e:latest", "docker.io", "a/b/c/d/e", "latest", null)]
    public void Valid(string input, string full, string familiar, string domain, string path, string? tag, string? digest)
    {
        var reference = ImageReference.Parse(input);
        Assert.That(reference.ToString(), Is.EqualTo(full));
        Assert.That(reference.FamiliarString, Is.EqualTo(familiar));
        Assert.That((reference.Domain, reference.Path, reference.Tag, reference.Digest), Is.EqualTo((domain, path, tag, digest)));
        Assert.That(ImageReference.Parse(full), Is.EqualTo(reference), "the full form parses back to the same reference");
        Assert.That(ImageReference.Parse(familiar), Is.EqualTo(reference), "so does the familiar form");
    }

    [TestCase("", "at least one component")]
    [TestCase("Busybox", "must be lowercase")]
    [TestCase("docker.io/Library/busybox", "must be lowercase")]
    [TestCase("busybox:", "invalid tag")]
    [TestCase("busybox:-bad", "invalid tag")]
    [TestCase("busybox:tag with space", "invalid tag")]
    [TestCase(":latest", "invalid repository name")]
    [TestCase("-busybox", "invalid repository name")]
    [TestCase("busybox_", "invalid repository name")]
    [TestCase("a//b", "invalid repository name")]
    [TestCase("/busybox", "invalid repository name")]
    [TestCase("busybox@sha256:abc", "invalid digest")]
    [TestCase("busybox@md5:0123456789abcdef0123456789abcdef", "unsupported or missing digest algorithm")]
    [TestCase("busybox@", "unsupported or missing digest algorithm")]
    [TestCase("busybox@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", "invalid digest")]
    [TestCase("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "cannot specify 64-byte hexadecimal strings")]
    [TestCase("localhost:port/x", "invalid registry domain")]
    [TestCase("exa_mple.com/x", "invalid registry domain")]
    public void Invalid(string input, string reason)
    {
        var error = Assert.Throws<InvalidImageReferenceException>(() => ImageReference.Parse(input));
        Assert.That(error!.Message, Does.Contain(reason).And.Contain($"\"{input}\""), "the message names the bad reference");
        Assert.That(ImageReference.TryParse(input, out _), Is.False);
    }

    [Test]
    public void TooLong()
    {
        string name = string.Join('/', Enumerable.Repeat("abcdefghij", 25));
        Assert.That(ImageReference.TryParse(name, out _), Is.False, "a name over 255 characters");
        Assert.That(ImageReference.TryParse("app:" + new string('t', 129), out _), Is.False, "a tag over 128 characters");
        Assert.That(ImageReference.TryParse("app:" + new string('t', 128), out _), Is.True);
    }

    [Test]
    public void WithTagAndWithDigest()
    {
        var reference = ImageReference.Parse("busybox@" + Sha);
        Assert.That(reference.WithTag("1").ToString(), Is.EqualTo("docker.io/library/busybox:1"));
        Assert.That(ImageReference.Parse("busybox:1").WithDigest(Sha).FamiliarString, Is.EqualTo("busybox@" + Sha));
        Assert.Throws<InvalidImageReferenceException>(() => reference.WithTag("bad tag"));
    }
}
