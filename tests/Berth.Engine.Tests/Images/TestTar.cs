using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using SharpCompress.Compressors.ZStandard;

namespace Berth.Engine.Tests.Images;

/// <summary>Builds tar archives in memory for tests: layers (inner tars) and image archives (outer tars).</summary>
internal sealed class TestTar
{
    public static readonly DateTimeOffset Epoch2020 = new(2020, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly MemoryStream _stream = new();
    private readonly TarWriter _writer;

    public TestTar(TarEntryFormat format = TarEntryFormat.Pax)
    {
        _writer = new TarWriter(_stream, format, leaveOpen: true);
        Format = format;
    }

    public TarEntryFormat Format { get; }

    public TestTar Dir(string name, int mode = 0x1ED, int uid = 0, int gid = 0, DateTimeOffset? mtime = null) =>
        Add(Entry(TarEntryType.Directory, name, mode, uid, gid, mtime));

    public TestTar File(string name, string content, int mode = 0x1A4, int uid = 0, int gid = 0, DateTimeOffset? mtime = null, IDictionary<string, string>? pax = null) =>
        File(name, Encoding.UTF8.GetBytes(content), mode, uid, gid, mtime, pax);

    public TestTar File(string name, byte[] content, int mode = 0x1A4, int uid = 0, int gid = 0, DateTimeOffset? mtime = null, IDictionary<string, string>? pax = null)
    {
        var entry = Entry(TarEntryType.RegularFile, name, mode, uid, gid, mtime, pax);
        entry.DataStream = new MemoryStream(content);
        return Add(entry);
    }

    public TestTar Symlink(string name, string target, int uid = 0, int gid = 0)
    {
        var entry = Entry(TarEntryType.SymbolicLink, name, 0x1FF, uid, gid, null);
        entry.LinkName = target;
        return Add(entry);
    }

    public TestTar HardLink(string name, string target)
    {
        var entry = Entry(TarEntryType.HardLink, name, 0x1A4, 0, 0, null);
        entry.LinkName = target;
        return Add(entry);
    }

    public TestTar Fifo(string name, int mode = 0x1A4) => Add(Entry(TarEntryType.Fifo, name, mode, 0, 0, null));

    public TestTar CharDevice(string name, int major, int minor, int mode = 0x1B6)
    {
        var entry = (PosixTarEntry)Entry(TarEntryType.CharacterDevice, name, mode, 0, 0, null);
        entry.DeviceMajor = major;
        entry.DeviceMinor = minor;
        return Add(entry);
    }

    /// <summary>An empty regular file named <c>.wh.X</c> (or the opaque marker), as layer tars carry whiteouts.</summary>
    public TestTar Whiteout(string name, int uid = 0, int gid = 0) => File(name, "", 0x1A4, uid, gid);

    public TestTar Add(TarEntry entry)
    {
        _writer.WriteEntry(entry);
        return this;
    }

    public byte[] Build()
    {
        _writer.Dispose();
        return _stream.ToArray();
    }

    private TarEntry Entry(TarEntryType type, string name, int mode, int uid, int gid, DateTimeOffset? mtime, IDictionary<string, string>? pax = null)
    {
        TarEntry entry = Format switch
        {
            TarEntryFormat.Pax => pax is null ? new PaxTarEntry(type, name) : new PaxTarEntry(type, name, pax),
            TarEntryFormat.Gnu => new GnuTarEntry(type, name),
            TarEntryFormat.V7 => new V7TarEntry(type == TarEntryType.RegularFile ? TarEntryType.V7RegularFile : type, name),
            _ => new UstarTarEntry(type, name),
        };
        entry.Mode = (UnixFileMode)mode;
        entry.Uid = uid;
        entry.Gid = gid;
        entry.ModificationTime = mtime ?? Epoch2020;
        return entry;
    }

    public static string Sha256(byte[] data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));

    public static string Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(data);
        return output.ToArray();
    }

    public static byte[] Zstd(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zstd = new CompressionStream(output, level: 3, bufferSize: 0, leaveOpen: true))
            zstd.Write(data);
        return output.ToArray();
    }
}
