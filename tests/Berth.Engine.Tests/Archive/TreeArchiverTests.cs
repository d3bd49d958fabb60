using System.Formats.Tar;
using System.Net.Sockets;
using Berth.Engine.Archive;
using Berth.Interop;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Berth.Engine.Tests.Archive;

/// <summary>Files to tar as moby's tarAppender writes them.</summary>
public sealed class TreeArchiverTests : ArchiveTestBase
{
    private async Task<List<TarEntry>> Archive(string name, string archiveName)
    {
        using var buffer = new MemoryStream();
        await using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            using var target = Sys.OpenDirectoryPath(Target);
            await new TreeArchiver(writer, NullLogger.Instance).AddAsync(target, name, archiveName, CancellationToken.None);
        }
        buffer.Position = 0;
        var entries = new List<TarEntry>();
        using var reader = new TarReader(buffer);
        while (reader.GetNextEntry(copyData: true) is { } entry)
            entries.Add(entry);
        return entries;
    }

    [Test]
    public async Task A_tree_with_hardlinks_symlinks_fifos_and_no_sockets()
    {
        Directory.CreateDirectory(At("tree/sub"));
        File.WriteAllText(At("tree/sub/a"), "alpha");
        Sys.Link(At("tree/sub/a"), At("tree/z-hard"));
        File.CreateSymbolicLink(At("tree/link"), Sentinel);
        MakeFifo(At("tree/pipe"));
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            socket.Bind(new UnixDomainSocketEndPoint(At("tree/sock")));
        Sys.Chmod(At("tree/sub/a"), 0x9ED);
        File.SetLastWriteTimeUtc(At("tree/sub/a"), new DateTime(2020, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc));

        var entries = await Archive("tree", "renamed");

        Assert.That(entries.Select(e => (e.Name, e.EntryType)), Is.EqualTo(new[]
        {
            ("renamed/", TarEntryType.Directory),
            ("renamed/link", TarEntryType.SymbolicLink),
            ("renamed/pipe", TarEntryType.Fifo),
            ("renamed/sub/", TarEntryType.Directory),
            ("renamed/sub/a", TarEntryType.RegularFile),
            ("renamed/z-hard", TarEntryType.HardLink),
        }));
        var file = entries.Single(e => e.Name == "renamed/sub/a");
        Assert.That(((int)file.Mode, file.ModificationTime), Is.EqualTo((0x9ED, new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero))), "mtime truncated to the second");
        Assert.That(new StreamReader(file.DataStream!).ReadToEnd(), Is.EqualTo("alpha"));
        Assert.That(entries.Single(e => e.Name == "renamed/z-hard").LinkName, Is.EqualTo("renamed/sub/a"));
        Assert.That(entries.Single(e => e.Name == "renamed/link").LinkName, Is.EqualTo(Sentinel), "not followed");
    }

    [Test]
    public async Task A_single_file_or_symlink_is_one_entry()
    {
        File.WriteAllText(At("f"), "content");
        File.CreateSymbolicLink(At("l"), Path.Combine(Sentinel, "secret"));
        Assert.That((await Archive("f", "f")).Select(e => e.Name), Is.EqualTo(new[] { "f" }));
        var link = (await Archive("l", "l")).Single();
        Assert.That((link.EntryType, link.LinkName, link.Length), Is.EqualTo((TarEntryType.SymbolicLink, Path.Combine(Sentinel, "secret"), 0L)));
    }

    [Test]
    public async Task The_root_named_slash_gives_moby_names()
    {
        File.WriteAllText(At("f"), "content");
        Assert.That((await Archive(".", "/")).Select(e => e.Name), Is.EqualTo(new[] { "/", "/f" }));
        Assert.That((await Archive(".", ".")).Select(e => e.Name), Is.EqualTo(new[] { "./", "./f" }));
    }

    private static void MakeFifo(string path) => Sys.Mknod(path, Sys.S_IFIFO | 0x1A4, 0);
}
