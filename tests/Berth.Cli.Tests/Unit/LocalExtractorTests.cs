using System.Formats.Tar;
using System.Text;
using Berth.Cli.Files;
using NUnit.Framework;

namespace Berth.Cli.Tests.Unit;

/// <summary>
/// docker cp's local extraction with hostile archives: nothing is ever written outside the destination, whatever
/// the names, symlinks and hard links in the tar say.
/// </summary>
public sealed class LocalExtractorTests
{
    private string _root = null!;
    private string _destination = null!;

    [SetUp]
    public void CreateDirectories()
    {
        _root = Directory.CreateTempSubdirectory("berth-cli-extract-").FullName;
        _destination = Directory.CreateDirectory(Path.Combine(_root, "destination")).FullName;
    }

    [TearDown]
    public void RemoveDirectories() => Directory.Delete(_root, recursive: true);

    [Test]
    public async Task ATreeIsExtractedWithItsModesTimesAndLinks()
    {
        var mtime = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await ExtractAsync(
            Dir("etc/", mtime), File("etc/hostname", "stub\n", mtime, 0x1A4), File("etc/secret", "x", mtime, 0x180),
            Symlink("etc/link", "hostname"), Symlink("etc/abs", "/etc/passwd"), HardLink("etc/again", "etc/hostname"));
        Assert.That(System.IO.File.ReadAllText(Path.Combine(_destination, "etc", "hostname")), Is.EqualTo("stub\n"));
        Assert.That(System.IO.File.GetUnixFileMode(Path.Combine(_destination, "etc", "secret")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(new FileInfo(Path.Combine(_destination, "etc", "link")).LinkTarget, Is.EqualTo("hostname"));
        Assert.That(new FileInfo(Path.Combine(_destination, "etc", "abs")).LinkTarget, Is.EqualTo("/etc/passwd"), "an absolute target is kept as it is, as moby does");
        Assert.That(System.IO.File.ReadAllText(Path.Combine(_destination, "etc", "again")), Is.EqualTo("stub\n"));
        Assert.That(Directory.GetLastWriteTimeUtc(Path.Combine(_destination, "etc")), Is.EqualTo(mtime.UtcDateTime), "directory times are set last");
    }

    [Test]
    public async Task NamesAreRenamedAsPrepareArchiveCopyRebasesThem()
    {
        await ExtractAsync(name => CopyPaths.Rebase(name, "etc", "renamed"), Dir("etc/"), File("etc/hostname", "stub\n"), HardLink("etc/h2", "etc/hostname"));
        Assert.That(System.IO.File.ReadAllText(Path.Combine(_destination, "renamed", "h2")), Is.EqualTo("stub\n"));
    }

    [TestCase("../escaped")]
    [TestCase("a/../../escaped")]
    [TestCase("/escaped")]
    public void ANameOutsideIsRefused(string name)
    {
        Assert.That(() => ExtractAsync(File(name, "x")), Throws.InstanceOf<CopyException>().With.Message.EqualTo($"\"{name}\" is outside of \"{_destination}\""));
        AssertNothingEscaped();
    }

    [Test]
    public void ASymlinkClimbingOutIsRefused()
    {
        Assert.That(() => ExtractAsync(Symlink("up", "../../outside")), Throws.InstanceOf<CopyException>().With.Message.EqualTo(
            $"invalid symlink \"{_destination}/up\" -> \"../../outside\""));
        AssertNothingEscaped();
    }

    [Test]
    public async Task NothingIsWrittenThroughASymlinkThatLeadsOut()
    {
        // The absolute symlink itself is allowed (moby keeps it); writing through it is not.
        Assert.That(() => ExtractAsync(Symlink("out", _root), File("out/escaped", "x")), Throws.InstanceOf<CopyException>().With.Message.Contains("would be written through symlink"));
        AssertNothingEscaped();
        Directory.CreateDirectory(Path.Combine(_destination, "inside"));
        await ExtractAsync(Symlink("in", "inside"), File("in/file", "x"));
        Assert.That(System.IO.File.ReadAllText(Path.Combine(_destination, "inside", "file")), Is.EqualTo("x"), "a symlink that stays inside may be followed");
    }

    [Test]
    public void APreexistingSymlinkToTheOutsideIsNotFollowed()
    {
        System.IO.File.CreateSymbolicLink(Path.Combine(_destination, "trap"), _root);
        Assert.That(() => ExtractAsync(File("trap/escaped", "x")), Throws.InstanceOf<CopyException>());
        AssertNothingEscaped();
    }

    [Test]
    public async Task AFileReplacesASymlinkInsteadOfWritingThroughIt()
    {
        string victim = Path.Combine(_root, "victim");
        System.IO.File.WriteAllText(victim, "untouched");
        System.IO.File.CreateSymbolicLink(Path.Combine(_destination, "name"), victim);
        await ExtractAsync(File("name", "new"));
        Assert.That(System.IO.File.ReadAllText(victim), Is.EqualTo("untouched"));
        Assert.That(System.IO.File.ReadAllText(Path.Combine(_destination, "name")), Is.EqualTo("new"));
        Assert.That(new FileInfo(Path.Combine(_destination, "name")).LinkTarget, Is.Null);
    }

    [Test]
    public void AHardLinkToTheOutsideIsRefused()
    {
        Assert.That(() => ExtractAsync(HardLink("stolen", "../victim")), Throws.InstanceOf<CopyException>().With.Message.EqualTo(
            $"invalid hardlink \"{_root}/victim\" -> \"../victim\""));
        Assert.That(() => ExtractAsync(HardLink("stolen", "/etc/passwd")), Throws.InstanceOf<CopyException>().With.Message.Contains("invalid hardlink"));
        AssertNothingEscaped();
    }

    [Test]
    public async Task ADirectoryAndAFileNeverReplaceEachOther()
    {
        Directory.CreateDirectory(Path.Combine(_destination, "dir"));
        System.IO.File.WriteAllText(Path.Combine(_destination, "file"), "x");
        Assert.That(() => ExtractAsync(File("dir", "x")), Throws.InstanceOf<CopyException>().With.Message.EqualTo(
            $"cannot overwrite directory \"{_destination}/dir\" with non-directory \"{_destination}\""));
        Assert.That(() => ExtractAsync(Dir("file/")), Throws.InstanceOf<CopyException>().With.Message.EqualTo(
            $"cannot overwrite non-directory \"{_destination}/file\" with directory \"{_destination}\""));
        await ExtractAsync(Dir("dir/"), File("file", "y"));
        Assert.That(System.IO.File.ReadAllText(Path.Combine(_destination, "file")), Is.EqualTo("y"));
    }

    private void AssertNothingEscaped() =>
        Assert.That(Directory.EnumerateFileSystemEntries(_root).Select(Path.GetFileName), Is.EquivalentTo(new[] { "destination" }.Concat(
            System.IO.File.Exists(Path.Combine(_root, "victim")) ? ["victim"] : Array.Empty<string>())));

    private Task ExtractAsync(params TarEntry[] entries) => ExtractAsync(name => name, entries);

    private async Task ExtractAsync(Func<string, string> rename, params TarEntry[] entries)
    {
        var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var entry in entries)
                await writer.WriteEntryAsync(entry);
        tar.Position = 0;
        using var extractor = LocalExtractor.Open(_destination);
        await extractor.ExtractAsync(tar, rename, CancellationToken.None);
    }

    private static PaxTarEntry Dir(string name, DateTimeOffset? mtime = null) =>
        new(TarEntryType.Directory, name) { Mode = (UnixFileMode)0x1ED, ModificationTime = mtime ?? DateTimeOffset.UtcNow };

    private static PaxTarEntry File(string name, string content, DateTimeOffset? mtime = null, int mode = 0x1A4) =>
        new(TarEntryType.RegularFile, name)
        {
            Mode = (UnixFileMode)mode, ModificationTime = mtime ?? DateTimeOffset.UtcNow, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
        };

    private static PaxTarEntry Symlink(string name, string target) => new(TarEntryType.SymbolicLink, name) { LinkName = target };

    private static PaxTarEntry HardLink(string name, string target) => new(TarEntryType.HardLink, name) { LinkName = target };
}
