using System.Buffers;
using System.IO.Compression;

namespace Berth.Engine.Logs;

/// <summary>
/// A container's log file, one record per entry in its driver's <see cref="ILogRecordFormat"/> (json-file's JSON
/// lines, or local's compact binary records). Output is cut into entries at newlines; a line longer than <see cref="MaxLineBytes"/> is written in
/// pieces, and whatever is left when a stream ends is written without a newline, as Docker does.
/// With a max size the file rotates as moby's loggerutils.LogFile does: once it has reached max-size, before the
/// next entry, <c>log.1</c> becomes <c>log.2</c>… (the oldest beyond max-file is deleted), the log becomes
/// <c>log.1</c> (gzipped to <c>log.1.gz</c> with compress) and a new log starts; with max-file 1 it is truncated.
/// Not thread-safe: the owner serialises calls (all output of a container is read on one thread).
/// </summary>
public sealed class LogFileWriter : IDisposable
{
    public const int MaxLineBytes = 16 * 1024;

    private readonly string _path;
    private readonly LogSettings _settings;
    private readonly ArrayBufferWriter<byte> _pendingStdout = new();
    private readonly ArrayBufferWriter<byte> _pendingStderr = new();
    private readonly ILogRecordFormat _format;
    private readonly ArrayBufferWriter<byte> _record = new();
    private FileStream _file;
    private Task _compression = Task.CompletedTask;

    public LogFileWriter(string path, LogSettings? settings = null)
    {
        _path = path;
        _settings = settings ?? LogSettings.Default;
        _format = ILogRecordFormat.For(_settings.Driver);
        if (System.IO.Path.GetDirectoryName(path) is { Length: > 0 } directory)
            Directory.CreateDirectory(directory);
        _file = Open(path);
    }

    public string Path => _path;

    private static FileStream Open(string path) =>
        new(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 16 * 1024);

    public void Write(LogStream stream, ReadOnlySpan<byte> data, DateTime utcNow)
    {
        var pending = Pending(stream);
        while (!data.IsEmpty)
        {
            int newline = data.IndexOf((byte)'\n');
            int take = Math.Min(newline < 0 ? data.Length : newline + 1, MaxLineBytes - pending.WrittenCount);
            pending.Write(data[..take]);
            data = data[take..];
            if (pending.WrittenCount == MaxLineBytes || pending.WrittenSpan[^1] == (byte)'\n')
                WriteEntry(stream, pending, utcNow);
        }
    }

    /// <summary>Writes out a partial last line of <paramref name="stream"/> (at its end of file).</summary>
    public void Complete(LogStream stream, DateTime utcNow)
    {
        var pending = Pending(stream);
        if (pending.WrittenCount > 0)
            WriteEntry(stream, pending, utcNow);
    }

    public void Flush() => _file.Flush();

    private ArrayBufferWriter<byte> Pending(LogStream stream) => stream == LogStream.Stderr ? _pendingStderr : _pendingStdout;

    private void WriteEntry(LogStream stream, ArrayBufferWriter<byte> line, DateTime utcNow)
    {
        if (_settings.Rotates && _file.Position >= _settings.MaxSize)
            Rotate();
        _record.Clear();
        _format.Encode(_record, stream, line.WrittenSpan, utcNow);
        _file.Write(_record.WrittenSpan);
        line.Clear();
    }

    private void Rotate()
    {
        _file.Dispose();
        // A compression still running owns log.1: the shift below must not move it meanwhile.
        _compression.Wait();
        if (_settings.MaxFile > 1)
        {
            string extension = _settings.Compress ? ".gz" : "";
            File.Delete($"{_path}.{_settings.MaxFile - 1}{extension}");
            for (int i = _settings.MaxFile - 2; i >= 1; i--)
                if (File.Exists($"{_path}.{i}{extension}"))
                    File.Move($"{_path}.{i}{extension}", $"{_path}.{i + 1}{extension}", overwrite: true);
            File.Move(_path, _path + ".1", overwrite: true);
            if (_settings.Compress)
                _compression = Task.Run(() => CompressRotated(_path + ".1"));
        }
        else
        {
            File.Delete(_path);
        }
        _file = Open(_path);
    }

    /// <summary>log.1 → log.1.gz, written to a temp name and renamed, so a reader sees one or the other, never half.</summary>
    private static void CompressRotated(string path)
    {
        string temp = path + ".gz.tmp";
        using (var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write))
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            input.CopyTo(gzip);
        File.Move(temp, path + ".gz", overwrite: true);
        File.Delete(path);
    }

    public void Dispose()
    {
        _file.Dispose();
        _compression.Wait();
    }
}
