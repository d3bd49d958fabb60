using Berth.Cli.Files;
using NUnit.Framework;

namespace Berth.Cli.Tests.Unit;

/// <summary>docker cp's path rules (docker/cli cp.go, moby/go-archive copy.go) and Go's filepath underneath them.</summary>
public sealed class CopyPathTests
{
    [TestCase("/abs/path:withcolon", "", "/abs/path:withcolon")]
    [TestCase("./relative:path", "", "./relative:path")]
    [TestCase("relative/path", "", "relative/path")]
    [TestCase("container:/path", "container", "/path")]
    [TestCase("container:", "container", "")]
    [TestCase("web:etc/passwd", "web", "etc/passwd")]
    [TestCase("-", "", "-")]
    public void AnArgumentNamesAContainerBeforeItsFirstColon(string argument, string container, string path)
    {
        Assert.That(CopyPaths.SplitArgument(argument), Is.EqualTo((container, path)));
    }

    [TestCase("", ".")]
    [TestCase("a//b/./c/..", "a/b")]
    [TestCase("/../x", "/x")]
    [TestCase("../../x", "../../x")]
    [TestCase("/a/b/", "/a/b")]
    public void CleanIsGos(string path, string clean) => Assert.That(GoPath.Clean(path), Is.EqualTo(clean));

    [TestCase("/a/b", "/a", "b")]
    [TestCase("/a/b/", "/a/b", "b")]
    [TestCase("/", "/", "/")]
    [TestCase("b", ".", "b")]
    public void DirAndBaseAreGos(string path, string dir, string name)
    {
        Assert.That(GoPath.Dir(path), Is.EqualTo(dir));
        Assert.That(GoPath.Base(path), Is.EqualTo(name));
    }

    [TestCase("/tmp/x/", "/tmp/x/")]
    [TestCase("/tmp/x/.", "/tmp/x/.")]
    [TestCase("/tmp/x//", "/tmp/x/")]
    [TestCase("/tmp/./x", "/tmp/x")]
    [TestCase("/tmp/x/..", "/tmp")]
    public void ALocalPathKeepsItsTrailingSlashOrDot(string typed, string resolved)
    {
        Assert.That(CopyPaths.ResolveLocal(typed), Is.EqualTo(resolved));
    }

    [Test]
    public void ARelativeLocalPathIsMadeAbsolute()
    {
        Assert.That(CopyPaths.ResolveLocal("out/."), Is.EqualTo(Environment.CurrentDirectory + "/out/."));
    }

    [TestCase("/a/b/.", "/a/b", ".")]
    [TestCase("/a/b/", "/a", "b")]
    [TestCase("/a/b", "/a", "b")]
    [TestCase("/", "/", "/")]
    public void SplitPathDirEntryKeepsTheDot(string path, string dir, string name)
    {
        Assert.That(CopyPaths.SplitPathDirEntry(path), Is.EqualTo((dir, name)));
    }

    [Test]
    public void ADirectoryIntoAnExistingDirectoryKeepsItsName()
    {
        var (directory, rebase) = CopyPaths.PrepareArchiveCopy(new CopyInfo("/etc", true, true), new CopyInfo("/tmp/out", true, true));
        Assert.That((directory, rebase), Is.EqualTo(("/tmp/out", ((string, string)?)null)));
    }

    [Test]
    public void ADirectoryToANewNameIsRenamed()
    {
        var (directory, rebase) = CopyPaths.PrepareArchiveCopy(new CopyInfo("/etc", true, true), new CopyInfo("/tmp/new"));
        Assert.That((directory, rebase), Is.EqualTo(("/tmp", (("etc", "new") as (string, string)?))));
        Assert.That(CopyPaths.Rebase("etc/passwd", "etc", "new"), Is.EqualTo("new/passwd"));
    }

    [Test]
    public void TheContentsOfADirectoryGoIntoANewOne()
    {
        var (directory, rebase) = CopyPaths.PrepareArchiveCopy(new CopyInfo("/etc/.", true, true), new CopyInfo("/tmp/new"));
        Assert.That((directory, rebase), Is.EqualTo(("/tmp", ((".", "new") as (string, string)?))));
        Assert.That(CopyPaths.Rebase("./passwd", ".", "new"), Is.EqualTo("new/passwd"));
    }

    [Test]
    public void AFileOverAFileTakesItsName()
    {
        var (directory, rebase) = CopyPaths.PrepareArchiveCopy(new CopyInfo("/etc/hostname", true, false), new CopyInfo("/tmp/name", true, false));
        Assert.That((directory, rebase), Is.EqualTo(("/tmp", (("hostname", "name") as (string, string)?))));
    }

    [Test]
    public void TheRefusalsAreMobys()
    {
        Assert.That(() => CopyPaths.PrepareArchiveCopy(new CopyInfo("/etc", true, true), new CopyInfo("/tmp/file", true, false)),
            Throws.InstanceOf<CopyException>().With.Message.EqualTo("cannot copy directory"));
        Assert.That(() => CopyPaths.PrepareArchiveCopy(new CopyInfo("/etc/hostname", true, false), new CopyInfo("/tmp/missing/")),
            Throws.InstanceOf<CopyException>().With.Message.EqualTo("no such directory"));
    }

    [Test]
    public void RebaseReplacesTheFirstOccurrenceAndTheRootIsEmpty()
    {
        Assert.That(CopyPaths.Rebase("a/a/b", "a", "x"), Is.EqualTo("x/a/b"));
        Assert.That(CopyPaths.Rebase("etc/x", "/", "root"), Is.EqualTo("rootetc/x"), "strings.Replace with an empty old string inserts at the start");
        Assert.That(CopyPaths.GetRebaseName("/a/link/", "/a/target"), Is.EqualTo(("/a/target/", "link")));
        Assert.That(CopyPaths.GetRebaseName("/a/link/.", "/a/target"), Is.EqualTo(("/a/target/.", "")));
    }

    [Test]
    public void LocalPathsAreResolvedThroughTheirSymlinks()
    {
        string root = Directory.CreateTempSubdirectory("berth-cli-paths-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "real"));
            File.WriteAllText(Path.Combine(root, "real", "file"), "x");
            File.CreateSymbolicLink(Path.Combine(root, "link"), "real");
            Assert.That(CopyPaths.EvalSymlinks(Path.Combine(root, "link", "file")), Is.EqualTo(Path.Combine(root, "real", "file")));
            var source = CopyPaths.SourceInfo(Path.Combine(root, "link"), followLink: false);
            Assert.That(source, Is.EqualTo(new CopyInfo(root + "/link", true, false, "")), "without -L the last symlink is the source itself");
            var slash = CopyPaths.SourceInfo(Path.Combine(root, "link") + "/", followLink: false);
            Assert.That(slash, Is.EqualTo(new CopyInfo(root + "/real/", true, true, "link")), "a trailing slash resolves it, keeping its name");
            var followed = CopyPaths.SourceInfo(Path.Combine(root, "link") + "/", followLink: true);
            Assert.That(followed, Is.EqualTo(new CopyInfo(root + "/real/", true, true, "link")));
            Assert.That(CopyPaths.DestinationInfo(Path.Combine(root, "link")), Is.EqualTo(new CopyInfo(root + "/real", true, true)));
            Assert.That(CopyPaths.DestinationInfo(Path.Combine(root, "new")), Is.EqualTo(new CopyInfo(root + "/new")));
            Assert.That(() => CopyPaths.DestinationInfo(Path.Combine(root, "no", "new")),
                Throws.InstanceOf<CopyException>().With.Message.EqualTo($"stat {root}/no: no such file or directory"));
            Assert.That(() => CopyPaths.SourceInfo(Path.Combine(root, "nothing"), false),
                Throws.InstanceOf<CopyException>().With.Message.EqualTo($"lstat {root}/nothing: no such file or directory"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
