using Berth.Engine.Archive;
using Berth.Interop;
using NUnit.Framework;

namespace Berth.Engine.Tests.Archive;

/// <summary>docker diff from an upper dir and the image's layer dirs, with moby's ChangesDirs results.</summary>
public sealed class OverlayChangesTests : ArchiveTestBase
{
    private static readonly DateTime Then = new(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private string Upper => At("upper");

    private string Bottom => At("bottom");

    private string Top => At("top");

    [SetUp]
    public void CreateLayers()
    {
        RequireRoot("whiteouts are character devices 0:0, opaque directories have a trusted.* xattr");
        foreach (string directory in new[] { Upper, Bottom, Top })
            Directory.CreateDirectory(directory);
    }

    private List<string> Changes() =>
        new OverlayChanges(Upper, new LowerLayers([Top, Bottom])).Compute().Select(c => c.ToString()).ToList();

    private static void Write(string layer, string path, string content = "x")
    {
        string full = Path.Combine(layer, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        File.SetLastWriteTimeUtc(full, Then);
    }

    private static void Whiteout(string layer, string path)
    {
        string full = Path.Combine(layer, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        Sys.Mknod(full, Sys.S_IFCHR, 0);
    }

    private static void Opaque(string layer, string path)
    {
        Directory.CreateDirectory(Path.Combine(layer, path));
        Sys.SetXattr(Path.Combine(layer, path), "trusted.overlay.opaque", "y"u8);
    }

    [Test]
    public void Touch_rm_and_append_give_what_docker_diff_prints()
    {
        Write(Bottom, "etc/passwd", "root\n");
        Write(Bottom, "etc/group", "root\n");
        Write(Bottom, "bin/sh");
        Write(Upper, "etc/passwd", "root\nx\n");
        Whiteout(Upper, "etc/group");
        Write(Upper, "new", "");
        Assert.That(Changes(), Is.EqualTo(new[] { "C /etc", "D /etc/group", "C /etc/passwd", "A /new" }));
    }

    [Test]
    public void Copied_up_but_unchanged_is_no_change_and_a_chmod_is()
    {
        Write(Bottom, "etc/same");
        Write(Bottom, "etc/mode");
        Write(Upper, "etc/same");
        Write(Upper, "etc/mode");
        Sys.Chmod(Path.Combine(Upper, "etc/mode"), 0x1C0);
        Directory.CreateDirectory(Path.Combine(Bottom, "var/empty"));
        Directory.CreateDirectory(Path.Combine(Upper, "var/empty"));
        Whiteout(Upper, "never-existed");
        Assert.That(Changes(), Is.EqualTo(new[] { "C /etc", "C /etc/mode" }));
    }

    [Test]
    public void Everything_below_a_new_directory_is_added()
    {
        Write(Upper, "opt/app/bin/tool");
        Assert.That(Changes(), Is.EqualTo(new[] { "A /opt", "A /opt/app", "A /opt/app/bin", "A /opt/app/bin/tool" }));
    }

    [Test]
    public void An_opaque_directory_deletes_the_image_children_it_does_not_have()
    {
        Write(Bottom, "dir/a");
        Write(Bottom, "dir/b");
        Write(Bottom, "dir/sub/c");
        Opaque(Upper, "dir");
        Write(Upper, "dir/b");
        Write(Upper, "dir/new");
        Assert.That(Changes(), Is.EqualTo(new[] { "C /dir", "D /dir/a", "A /dir/new", "D /dir/sub" }), "only the top of a deleted tree, as moby reports it");
    }

    [Test]
    public void The_image_is_read_through_its_own_whiteouts_and_opaque_directories()
    {
        Write(Bottom, "data/gone");
        Write(Bottom, "data/kept");
        Write(Bottom, "op/hidden");
        Whiteout(Top, "data/gone");
        Opaque(Top, "op");
        Write(Top, "op/visible");
        Write(Upper, "data/gone", "again");
        Whiteout(Upper, "data/kept");
        Opaque(Upper, "op");
        Write(Upper, "op/mine");
        Assert.That(Changes(), Is.EqualTo(new[] { "C /data", "A /data/gone", "D /data/kept", "C /op", "A /op/mine", "D /op/visible" }));
    }

    [Test]
    public void A_type_change_is_a_change_and_symlinks_of_the_image_are_never_followed()
    {
        Write(Bottom, "was-file");
        File.CreateSymbolicLink(Path.Combine(Bottom, "lib"), Sentinel);
        Write(Upper, "was-file/inside");
        Write(Upper, "lib/secret", "secret\n");
        Assert.That(Changes(), Is.EqualTo(new[] { "C /lib", "A /lib/secret", "C /was-file", "A /was-file/inside" }));
        AssertSentinelUntouched();
    }
}
