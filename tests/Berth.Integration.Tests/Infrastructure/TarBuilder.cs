using System.Formats.Tar;
using System.Text;

namespace Berth.Integration.Tests.Infrastructure;

/// <summary>Builds a tar in memory, as the docker CLI sends one to PUT /containers/{id}/archive.</summary>
public sealed class TarBuilder
{
    private readonly MemoryStream _buffer = new();
    private readonly TarWriter _writer;

    public TarBuilder() => _writer = new TarWriter(_buffer, TarEntryFormat.Pax, leaveOpen: true);

    public TarBuilder File(string name, string content, int mode = 0x1A4, int uid = 0, int gid = 0)
    {
        var entry = Entry(TarEntryType.RegularFile, name, mode, uid, gid);
        entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        return Add(entry);
    }

    public TarBuilder Directory(string name, int mode = 0x1ED) => Add(Entry(TarEntryType.Directory, name, mode, 0, 0));

    public TarBuilder Symlink(string name, string target)
    {
        var entry = Entry(TarEntryType.SymbolicLink, name, 0x1FF, 0, 0);
        entry.LinkName = target;
        return Add(entry);
    }

    public TarBuilder HardLink(string name, string target)
    {
        var entry = Entry(TarEntryType.HardLink, name, 0x1A4, 0, 0);
        entry.LinkName = target;
        return Add(entry);
    }

    /// <summary>The finished archive, from its start.</summary>
    public MemoryStream Stream()
    {
        _writer.Dispose();
        return new MemoryStream(_buffer.ToArray());
    }

    private TarBuilder Add(TarEntry entry)
    {
        _writer.WriteEntry(entry);
        return this;
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, int mode, int uid, int gid) => new(type, name)
    {
        Mode = (UnixFileMode)mode,
        Uid = uid,
        Gid = gid,
        ModificationTime = new DateTimeOffset(2021, 2, 3, 4, 5, 6, TimeSpan.Zero),
    };
}
