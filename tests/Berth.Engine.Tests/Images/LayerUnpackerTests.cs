using Berth.Engine.Images;
using Berth.Interop;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Berth.Engine.Tests.Images;

/// <summary>Applying one layer tar: whiteout translation for overlayfs, file types, attributes, replace semantics.</summary>
public sealed class LayerUnpackerTests : StoreTestBase
{
    private const uint SIFCHR = 0x2000;
    private const uint SIFIFO = 0x1000;
    private const uint SIFDIR = 0x4000;
    private const uint SIFREG = 0x8000;

    private string Target => Path.Combine(StoreRoot, "diff");

    [SetUp]
    public void CreateTarget() => Directory.CreateDirectory(Target);

    [Test]
    public void WhiteoutBecomesCharacterDevice00OwnedAsTheHeaderSays()
    {
        RequireRoot("mknod and lchown");
        Unpack(new TestTar().Dir("etc/").Whiteout("etc/.wh.passwd", uid: 1000, gid: 1001));
        var status = Sys.Lstat(At("etc/passwd"));
        Assert.That(status.FileType, Is.EqualTo(SIFCHR));
        Assert.That(status.Rdev, Is.EqualTo(0UL));
        Assert.That((status.Uid, status.Gid), Is.EqualTo((1000u, 1001u)));
        Assert.That(File.Exists(At("etc/.wh.passwd")), Is.False, "the marker itself is not written");
    }

    [Test]
    public void OpaqueMarkerAfterOtherEntriesSetsTheXattrAndKeepsThem()
    {
        RequireRoot("trusted.* xattrs");
        Unpack(new TestTar().Dir("var/").Dir("var/cache/").File("var/cache/new", "n").Dir("var/cache/sub/").Whiteout("var/cache/.wh..wh..opq"));
        Assert.That(Sys.GetXattr(At("var/cache"), "trusted.overlay.opaque"), Is.EqualTo("y"u8.ToArray()));
        Assert.That(File.ReadAllText(At("var/cache/new")), Is.EqualTo("n"), "opaque hides lower layers only, not this layer's entries");
        Assert.That(Directory.Exists(At("var/cache/sub")), Is.True);
        Assert.That(File.Exists(At("var/cache/.wh..wh..opq")), Is.False);
        Assert.That(Sys.GetXattr(At("var"), "trusted.overlay.opaque"), Is.Null);
    }

    [Test]
    public void OpaqueMarkerBeforeItsDirectoryEntryStillApplies()
    {
        RequireRoot("trusted.* xattrs");
        Unpack(new TestTar().Whiteout("data/.wh..wh..opq").Dir("data/", mode: 0x1C0).File("data/x", "x"));
        Assert.That(Sys.GetXattr(At("data"), "trusted.overlay.opaque"), Is.EqualTo("y"u8.ToArray()));
        Assert.That(Sys.Lstat(At("data")).Permissions, Is.EqualTo(0x1C0u), "the later directory entry updates the kept directory");
    }

    [Test]
    public void RawOverlayXattrsFromTheTarAreIgnored()
    {
        RequireRoot("trusted.* xattrs");
        var pax = new Dictionary<string, string> { ["SCHILY.xattr.trusted.overlay.opaque"] = "y", ["SCHILY.xattr.user.keep"] = "kept" };
        Unpack(new TestTar().Add(PaxDir("d/", pax)));
        Assert.That(Sys.GetXattr(At("d"), "trusted.overlay.opaque"), Is.Null);
        Assert.That(Sys.GetXattr(At("d"), "user.keep"), Is.EqualTo("kept"u8.ToArray()));
    }

    [Test]
    public void FileAttributesSetuidSurvivesChown()
    {
        RequireRoot("lchown");
        var mtime = new DateTimeOffset(2019, 5, 6, 7, 8, 9, TimeSpan.Zero);
        Unpack(new TestTar().Dir("bin/").File("bin/su", "binary", mode: 0x9ED, uid: 1000, gid: 1000, mtime: mtime));
        var status = Sys.Lstat(At("bin/su"));
        Assert.That(status.FileType, Is.EqualTo(SIFREG));
        Assert.That(status.Permissions, Is.EqualTo(0x9EDu), "04755: setuid kept because chmod runs after chown");
        Assert.That((status.Uid, status.Gid), Is.EqualTo((1000u, 1000u)));
        Assert.That(File.GetLastWriteTimeUtc(At("bin/su")), Is.EqualTo(mtime.UtcDateTime));
        Assert.That(File.ReadAllText(At("bin/su")), Is.EqualTo("binary"));
    }

    [Test]
    public void DirectoryModesAndMtimesAreSetAfterTheirContents()
    {
        var mtime = new DateTimeOffset(2018, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Unpack(new TestTar().Dir("etc/", mode: 0x1ED, mtime: mtime).Dir("tmp/", mode: 0x3FF, mtime: mtime).Dir("ro/", mode: 0x16D, mtime: mtime)
            .File("etc/a", "a").File("ro/inside", "i").Fifo("etc/fifo"));
        Assert.That(Sys.Lstat(At("etc")).Permissions, Is.EqualTo(0x1EDu), "0755");
        Assert.That(Sys.Lstat(At("tmp")).Permissions, Is.EqualTo(0x3FFu), "01777 keeps the sticky bit");
        Assert.That(Sys.Lstat(At("ro")).Permissions, Is.EqualTo(0x16Du), "0555 set after its file was written");
        Assert.That(Directory.GetLastWriteTimeUtc(At("etc")), Is.EqualTo(mtime.UtcDateTime), "adding entries did not move the mtime");
        Assert.That(Directory.GetLastWriteTimeUtc(At("ro")), Is.EqualTo(mtime.UtcDateTime));
    }

    [Test]
    public void MissingParentsAreCreated0755()
    {
        Unpack(new TestTar().File("usr/share/doc/README", "r"));
        Assert.That(Sys.Lstat(At("usr/share")).Permissions, Is.EqualTo(0x1EDu));
        Assert.That(File.ReadAllText(At("usr/share/doc/README")), Is.EqualTo("r"));
    }

    [Test]
    public void HardlinkSharesTheInode()
    {
        Unpack(new TestTar().Dir("bin/").File("bin/busybox", "bb", mode: 0x1ED).HardLink("bin/sh", "bin/busybox").HardLink("bin/ls", "./bin/busybox"));
        var original = Sys.Lstat(At("bin/busybox"));
        Assert.That(Sys.Lstat(At("bin/sh")).Inode, Is.EqualTo(original.Inode));
        Assert.That(Sys.Lstat(At("bin/ls")).Inode, Is.EqualTo(original.Inode));
        Assert.That(original.Nlink, Is.EqualTo(3UL));
    }

    [Test]
    public void SymlinkKeepsItsTargetAndIsNeverFollowed()
    {
        string outsideFile = Path.Combine(Sentinel, "file");
        Unpack(new TestTar().Symlink("abs", Sentinel).Symlink("rel", RelativeSentinel + "/file").Symlink("lib", "usr/lib"));
        Assert.That(new FileInfo(At("abs")).LinkTarget, Is.EqualTo(Sentinel));
        Assert.That(new FileInfo(At("rel")).LinkTarget, Is.EqualTo(RelativeSentinel + "/file"));
        Assert.That(Sys.Lstat(At("lib")).IsSymlink, Is.True);
        Assert.That(File.Exists(outsideFile), Is.False);
        AssertSentinelEmpty();
    }

    [Test]
    public void SymlinkReplacedByAFileIsUnlinkedNotFollowed()
    {
        File.WriteAllText(Path.Combine(TempRoot, "victim"), "original");
        Unpack(new TestTar().Symlink("x", Path.Combine(TempRoot, "victim")).File("x", "new content"));
        Assert.That(Sys.Lstat(At("x")).IsRegularFile, Is.True);
        Assert.That(File.ReadAllText(At("x")), Is.EqualTo("new content"));
        Assert.That(File.ReadAllText(Path.Combine(TempRoot, "victim")), Is.EqualTo("original"));
    }

    [Test]
    public void LaterEntriesReplaceEarlierOnes()
    {
        Unpack(new TestTar()
            .File("a", "file first").Dir("a/").File("a/child", "c")              // dir over file
            .Dir("b/").File("b/child", "c").File("b", "file over dir")           // file over dir (and its children)
            .Dir("c/", mode: 0x1C0).File("c/kept", "k").Dir("c/", mode: 0x1ED)  // dir over dir keeps it, new mode
            .File("d", "one").File("d", "two")                                   // file over file
            .Dir("e/").Symlink("e", "/elsewhere"));                              // symlink over dir
        Assert.That(File.ReadAllText(At("a/child")), Is.EqualTo("c"));
        Assert.That(File.ReadAllText(At("b")), Is.EqualTo("file over dir"));
        Assert.That(File.ReadAllText(At("c/kept")), Is.EqualTo("k"));
        Assert.That(Sys.Lstat(At("c")).Permissions, Is.EqualTo(0x1EDu));
        Assert.That(File.ReadAllText(At("d")), Is.EqualTo("two"));
        Assert.That(Sys.Lstat(At("e")).IsSymlink, Is.True);
    }

    [Test]
    public void DirectoryReplacedBySymlinkIsNotWrittenThroughLater()
    {
        var error = Assert.Throws<ImageFormatException>(() =>
            Unpack(new TestTar().Dir("d/").Dir("d/sub/").Symlink("d", Sentinel).File("d/sub/evil", "x")));
        Assert.That(error!.Message, Does.Contain("entry `d/sub/evil` would be written through symlink `d`"));
        AssertSentinelEmpty();
    }

    [Test]
    public void FifoAndDevices()
    {
        Unpack(new TestTar().Dir("dev/").Fifo("dev/initctl", mode: 0x180));
        var fifo = Sys.Lstat(At("dev/initctl"));
        Assert.That(fifo.FileType, Is.EqualTo(SIFIFO));
        Assert.That(fifo.Permissions, Is.EqualTo(0x180u));

        RequireRoot("mknod of character devices");
        Unpack(new TestTar().CharDevice("dev/null", 1, 3, mode: 0x1B6));
        var device = Sys.Lstat(At("dev/null"));
        Assert.That(device.FileType, Is.EqualTo(SIFCHR));
        Assert.That(device.Rdev, Is.EqualTo(Sys.MakeDev(1, 3)));
        Assert.That(device.Permissions, Is.EqualTo(0x1B6u));
    }

    [Test]
    public void UserXattrsFromPaxRecords()
    {
        var pax = new Dictionary<string, string> { ["SCHILY.xattr.user.mime"] = "text/plain" };
        Unpack(new TestTar().File("f", "x", pax: pax));
        byte[]? value = null;
        try
        {
            value = Sys.GetXattr(At("f"), "user.mime");
        }
        catch (SyscallException e)
        {
            Assert.Ignore($"user xattrs unsupported here: {e.Message}");
        }
        Assert.That(value, Is.EqualTo("text/plain"u8.ToArray()));
    }

    [Test]
    public void LongNamesGnuFormatAndTheRootEntry()
    {
        string longName = string.Join('/', Enumerable.Repeat("directory-with-a-long-name", 8)) + "/file";
        Unpack(new TestTar(System.Formats.Tar.TarEntryFormat.Gnu).Dir("./", mode: 0x1ED).File(longName, "deep"));
        Assert.That(File.ReadAllText(At(longName)), Is.EqualTo("deep"));
        Unpack(new TestTar().File("./" + longName + "2", "pax"));
        Assert.That(File.ReadAllText(At(longName + "2")), Is.EqualTo("pax"));
    }

    [Test]
    public void AufsMetadataIsSkipped()
    {
        Unpack(new TestTar().Dir(".wh..wh.plnk/").File(".wh..wh.plnk/1.2", "x").File(".wh..wh.aufs", "").File("kept", "k"));
        Assert.That(Directory.EnumerateFileSystemEntries(Target).Select(Path.GetFileName), Is.EquivalentTo(new[] { "kept" }));
    }

    [Test]
    public void UnpackedSizeCountsRegularFileBytes()
    {
        long size = Unpack(new TestTar().File("a", new byte[1000]).File("b", new byte[24]).Symlink("c", "a").Dir("d/"));
        Assert.That(size, Is.EqualTo(1024));
    }

    private long Unpack(TestTar tar)
    {
        using var stream = new MemoryStream(tar.Build());
        return new LayerUnpacker(Target, "test-layer", NullLogger.Instance).Unpack(stream, CancellationToken.None);
    }

    private string At(string path) => Path.Combine(Target, path);

    private static System.Formats.Tar.PaxTarEntry PaxDir(string name, Dictionary<string, string> pax) =>
        new(System.Formats.Tar.TarEntryType.Directory, name, pax) { Mode = (UnixFileMode)0x1ED, ModificationTime = TestTar.Epoch2020 };
}
