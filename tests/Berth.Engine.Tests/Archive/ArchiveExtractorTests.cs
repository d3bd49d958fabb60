using Berth.Engine.Archive;
using Berth.Engine.Tests.Images;
using Berth.Interop;
using NUnit.Framework;

namespace Berth.Engine.Tests.Archive;

/// <summary>docker cp into a directory: moby's Unpack semantics with the layer extraction's safety rules, on dirfds.</summary>
public sealed class ArchiveExtractorTests : ArchiveTestBase
{
    private static readonly DateTimeOffset Mtime = new(2019, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private Task Extract(TestTar tar, bool noOverwriteDirNonDir = false) => Extract(tar.Build(), noOverwriteDirNonDir);

    private async Task Extract(byte[] tar, bool noOverwriteDirNonDir = false)
    {
        using var target = Sys.OpenDirectoryPath(Target);
        await new ArchiveExtractor(target, noOverwriteDirNonDir).ExtractAsync(new MemoryStream(tar), CancellationToken.None);
    }

    [Test]
    public async Task Files_directories_links_and_fifos_with_their_attributes()
    {
        RequireRoot("chown");
        await Extract(new TestTar()
            .Dir("./")
            .Dir("dir/", mode: 0x1C0, uid: 7, gid: 8, mtime: Mtime)
            .File("dir/su", "binary", mode: 0x9ED, uid: 1000, gid: 1000, mtime: Mtime)
            .Symlink("dir/abs", "/etc/passwd")
            .HardLink("dir/hard", "dir/su")
            .Fifo("dir/pipe", mode: 0x180)
            .File("implied/deeper/file", "x"));

        var su = Sys.Lstat(At("dir/su"));
        Assert.That((su.Permissions, su.Uid, su.Gid, su.Mtime), Is.EqualTo((0x9EDu, 1000u, 1000u, Mtime)), "setuid survives the chown");
        Assert.That(File.ReadAllText(At("dir/su")), Is.EqualTo("binary"));
        var dir = Sys.Lstat(At("dir"));
        Assert.That((dir.Permissions, dir.Uid, dir.Gid, dir.Mtime), Is.EqualTo((0x1C0u, 7u, 8u, Mtime)), "a directory's mtime is set after its children");
        Assert.That(new FileInfo(At("dir/abs")).LinkTarget, Is.EqualTo("/etc/passwd"), "stored as it is, never followed");
        Assert.That(Sys.Lstat(At("dir/hard")).Inode, Is.EqualTo(su.Inode));
        Assert.That(Sys.Lstat(At("dir/pipe")).FileType, Is.EqualTo(FileStat.S_IFIFO));
        Assert.That(Sys.Lstat(At("implied")).Permissions, Is.EqualTo(0x1EDu), "implied parents are 0755");
    }

    [Test]
    public async Task An_entry_replaces_what_is_there_and_a_directory_over_a_directory_is_kept()
    {
        Directory.CreateDirectory(At("was-dir/inner"));
        File.CreateSymbolicLink(At("was-dir/inner/to-sentinel"), Sentinel);
        File.WriteAllText(At("was-file"), "old");
        Directory.CreateDirectory(At("kept"));
        File.WriteAllText(At("kept/old.txt"), "old");
        File.CreateSymbolicLink(At("was-link"), Path.Combine(Sentinel, "secret"));

        await Extract(new TestTar().File("was-dir", "file now").Dir("was-file/", mode: 0x1C0).Dir("kept/", mode: 0x1C0).File("was-link", "replaced"));

        Assert.That(File.ReadAllText(At("was-dir")), Is.EqualTo("file now"));
        Assert.That(Directory.Exists(At("was-file")), Is.True);
        Assert.That(File.ReadAllText(At("kept/old.txt")), Is.EqualTo("old"));
        Assert.That(Sys.Lstat(At("kept")).Permissions, Is.EqualTo(0x1C0u));
        Assert.That(Sys.Lstat(At("was-link")).IsRegularFile, Is.True, "the symlink is replaced, not written through");
        AssertSentinelUntouched();
    }

    [Test]
    public async Task No_overwrite_dir_non_dir_refuses_both_ways()
    {
        Directory.CreateDirectory(At("dir"));
        File.WriteAllText(At("file"), "x");
        Assert.That(() => Extract(new TestTar().File("dir", "x"), noOverwriteDirNonDir: true),
            Throws.TypeOf<InvalidParameterException>().With.Message.EqualTo("cannot overwrite directory \"dir\" with non-directory"));
        Assert.That(() => Extract(new TestTar().Dir("file/"), noOverwriteDirNonDir: true),
            Throws.TypeOf<InvalidParameterException>().With.Message.EqualTo("cannot overwrite non-directory \"file/\" with directory"));
        await Extract(new TestTar().Dir("dir/").File("file", "y"), noOverwriteDirNonDir: true);
        Assert.That(File.ReadAllText(At("file")), Is.EqualTo("y"));
    }

    [TestCase("../sentinel/x", "`..` component")]
    [TestCase("/../sentinel/x", "`..` component")]
    [TestCase("a/../../sentinel/x", "`..` component")]
    public void Names_that_leave_the_target_are_refused(string name, string problem)
    {
        Assert.That(() => Extract(new TestTar().File(name, "x")), Throws.TypeOf<InvalidParameterException>().With.Message.Contains(problem));
        AssertSentinelUntouched();
    }

    [Test]
    public void Nothing_is_written_through_a_symlink_of_the_target_or_of_the_archive()
    {
        File.CreateSymbolicLink(At("abs"), Sentinel);
        File.CreateSymbolicLink(At("rel"), "../sentinel");
        Directory.CreateDirectory(At("d"));
        File.CreateSymbolicLink(At("d/up"), "..");

        foreach (var tar in new[]
        {
            new TestTar().File("abs/x", "x"),
            new TestTar().File("rel/x", "x"),
            new TestTar().File("d/up/up/sentinel/x", "x"),
            new TestTar().Symlink("new", Sentinel).File("new/x", "x"),
            new TestTar().Symlink("new2", "../sentinel").Dir("new2/sub/"),
        })
            Assert.That(() => Extract(tar), Throws.TypeOf<InvalidParameterException>().With.Message.Contains("through symlink"));
        AssertSentinelUntouched();
    }

    [Test]
    public async Task Absolute_names_land_under_the_target_as_with_docker()
    {
        await Extract(new TestTar().Dir("/app/").File("/app/settings.json", "{}").File("//etc/x", "y"));
        Assert.That(File.ReadAllText(At("app/settings.json")), Is.EqualTo("{}"));
        Assert.That(File.ReadAllText(At("etc/x")), Is.EqualTo("y"));
        AssertSentinelUntouched();
    }

    [Test]
    public void Hardlinks_must_point_inside_the_target()
    {
        File.CreateSymbolicLink(At("abs"), Sentinel);
        Directory.CreateDirectory(At("dir"));
        Assert.That(() => Extract(new TestTar().HardLink("h", "../sentinel/secret")), Throws.TypeOf<InvalidParameterException>().With.Message.Contains("`..` component"));
        Assert.That(() => Extract(new TestTar().HardLink("h", Path.Combine(Sentinel, "secret"))), Throws.TypeOf<InvalidParameterException>().With.Message.Contains("absolute"));
        Assert.That(() => Extract(new TestTar().HardLink("h", "abs/secret")), Throws.TypeOf<InvalidParameterException>().With.Message.Contains("not in the extraction directory"));
        Assert.That(() => Extract(new TestTar().HardLink("h", "dir")), Throws.TypeOf<InvalidParameterException>().With.Message.Contains("hardlink to directory"));
        Assert.That(File.Exists(At("h")), Is.False);
        AssertSentinelUntouched();
    }

    [Test]
    public void A_broken_archive_is_a_bad_argument()
    {
        Assert.That(() => Extract(new byte[1024].Select(_ => (byte)'x').ToArray()), Throws.TypeOf<InvalidParameterException>().With.Message.Contains("not a valid tar"));
        byte[] whole = new TestTar().File("big", new string('x', 10_000)).Build();
        Assert.That(() => Extract(whole[..2048]), Throws.TypeOf<InvalidParameterException>().With.Message.Contains("truncated"));
    }
}
