using Berth.Engine.Archive;
using NUnit.Framework;

namespace Berth.Engine.Tests.Archive;

/// <summary>docker cp's reading of a path: Go's filepath.Clean from "/", a trailing "/" or "/." kept as "follow the last component".</summary>
public sealed class ContainerPathTests
{
    [TestCase("etc/passwd", "/etc/passwd", false, "passwd")]
    [TestCase("/etc//passwd", "/etc/passwd", false, "passwd")]
    [TestCase("/etc/./passwd", "/etc/passwd", false, "passwd")]
    [TestCase("/etc/", "/etc", true, "etc")]
    [TestCase("/etc/.", "/etc", true, ".")]
    [TestCase("/", "/", false, "/")]
    [TestCase(".", "/", false, ".")]
    [TestCase("/.", "/", false, ".")]
    [TestCase("../../etc", "/etc", false, "etc")]
    [TestCase("/a/b/../../../c", "/c", false, "c")]
    [TestCase("/link/..", "/", false, "/")]
    public void Paths_are_cleaned_as_moby_does(string path, string clean, bool followLast, string name) =>
        Assert.That(ContainerPath.Parse(path), Is.EqualTo((clean, followLast, name)));

    [Test]
    public void An_empty_path_is_refused() =>
        Assert.That(() => ContainerPath.Parse(""), Throws.TypeOf<InvalidParameterException>().With.Message.EqualTo("path is empty"));
}
