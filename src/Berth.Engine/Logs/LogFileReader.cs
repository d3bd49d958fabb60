using System.Buffers;
using System.IO.Compression;
using Berth.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Logs;

/// <summary>
/// Reads a container's log (<see cref="LogFileWriter"/>'s files, json-file or local records) across its rotated files, oldest first,
/// then what is appended later (for <c>docker logs -f</c>), with memory bounded whatever the log's size: every
/// <see cref="ReadAvailable"/> returns at most a given number of entries, read through one 64 KiB buffer.
/// <para>
/// <c>--tail N</c> reads backwards from the end of the live file, block by block, counting newlines, and only goes
/// on to older files (counting a gzipped one forwards, as gzip cannot be read backwards) when the newer ones hold
/// fewer than N lines; the log is then read forwards from there. Measured before: the whole log was parsed into a
/// list first, 4.4 GB of berthd for `--tail 1` of a 1.75 GB log.
/// </para>
/// <para>
/// Rotated files are opened when the reader is made (a later rotation renames them, the open handles stay valid);
/// the live file is followed through rotations: at its end, if the path names another file now, the old one is
/// read to its end and the new one from its start. A line the writer has not finished is kept until its newline;
/// a record its format cannot parse, or longer than <see cref="MaxLineBytes"/>, is skipped.
/// </para>
/// </summary>
public sealed class LogFileReader : IDisposable
{
    /// <summary>The longest line kept: an entry of 16 KiB escaped as \u00XX is 96 KiB; anything far beyond is not the writer's.</summary>
    public const int MaxLineBytes = 1 << 20;

    private const int BufferBytes = 64 * 1024;

    private readonly string _path;
    private readonly ILogRecordFormat _format;
    private readonly Queue<Stream> _rotated = new();
    private readonly ArrayBufferWriter<byte> _partial = new();
    private readonly byte[] _buffer = new byte[BufferBytes];
    private int _start;
    private int _end;
    private bool _discarding;
    private long _skipLines;
    private FileStream? _live;

    /// <param name="tail">Start at the last <paramref name="tail"/> complete lines; negative: from the start of the oldest file.</param>
    /// <param name="driver">The log driver that wrote the files (json-file or local).</param>
    public LogFileReader(string path, int tail = -1, string driver = LogSettings.JsonFile)
    {
        _path = path;
        _format = ILogRecordFormat.For(driver);
        var files = OpenFiles(path);
        try
        {
            Position(files, tail);
        }
        catch
        {
            foreach (var file in files)
                file.Dispose();
            throw;
        }
    }

    /// <summary>Rotated files oldest first (log.N… log.1, gzipped or not), then the live log; a missing live log is opened later.</summary>
    private List<FileStream> OpenFiles(string path)
    {
        var streams = new List<FileStream>();
        string? directory = System.IO.Path.GetDirectoryName(path);
        if (directory is not null && Directory.Exists(directory))
        {
            string prefix = System.IO.Path.GetFileName(path) + ".";
            var rotated = Directory.EnumerateFiles(directory)
                .Where(f => System.IO.Path.GetFileName(f).StartsWith(prefix, StringComparison.Ordinal))
                .Select(f => (File: f, Index: RotationIndex(System.IO.Path.GetFileName(f)[prefix.Length..])))
                .Where(f => f.Index > 0)
                .OrderByDescending(f => f.Index);
            foreach (var (file, _) in rotated)
                if (TryOpen(file) is { } stream)
                    streams.Add(stream);
        }
        _live = TryOpen(path);
        if (_live is not null)
            streams.Add(_live);
        return streams;
    }

    /// <summary>"3" or "3.gz" → 3; anything else (a compression's temp file) → 0.</summary>
    private static int RotationIndex(string suffix)
    {
        string number = suffix.EndsWith(".gz", StringComparison.Ordinal) ? suffix[..^3] : suffix;
        return int.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : 0;
    }

    private static FileStream? TryOpen(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Queues the files to read, the first of them positioned for <paramref name="tail"/>.</summary>
    private void Position(List<FileStream> files, int tail)
    {
        int first = 0;
        if (tail >= 0)
        {
            long remaining = tail;
            first = files.Count;
            for (int i = files.Count - 1; i >= 0 && remaining > 0; i--)
            {
                first = i;
                if (!IsCompressed(files[i]))
                {
                    long offset = StartOfLastLines(files[i].SafeFileHandle, remaining, out long counted);
                    if (offset >= 0)
                    {
                        files[i].Seek(offset, SeekOrigin.Begin);
                        remaining = 0;
                        break;
                    }
                    remaining -= counted;
                }
                else
                {
                    long lines;
                    using (var gzip = new GZipStream(files[i], CompressionMode.Decompress, leaveOpen: true))
                        lines = CountLines(gzip);
                    files[i].Seek(0, SeekOrigin.Begin);
                    if (lines >= remaining)
                    {
                        _skipLines = lines - remaining;
                        remaining = 0;
                        break;
                    }
                    remaining -= lines;
                }
            }
            if (tail == 0 && _live is not null)
                _live.Seek(0, SeekOrigin.End);
        }
        for (int i = 0; i < files.Count; i++)
        {
            if (files[i] == _live)
                continue;
            if (i < first)
                files[i].Dispose();
            else
                _rotated.Enqueue(IsCompressed(files[i]) ? new GZipStream(files[i], CompressionMode.Decompress) : files[i]);
        }
    }

    private static bool IsCompressed(FileStream file) => file.Name.EndsWith(".gz", StringComparison.Ordinal);

    /// <summary>
    /// Where the last <paramref name="lines"/> complete lines of a file start, found by reading it backwards in 64 KiB
    /// blocks; -1 when the file holds fewer (<paramref name="counted"/> says how many).
    /// </summary>
    private long StartOfLastLines(SafeFileHandle file, long lines, out long counted)
    {
        long position = RandomAccess.GetLength(file);
        counted = 0;
        while (position > 0)
        {
            int size = (int)Math.Min(BufferBytes, position);
            position -= size;
            int read = RandomAccess.Read(file, _buffer.AsSpan(0, size), position);
            for (int i = read - 1; i >= 0; i--)
            {
                if (_buffer[i] != (byte)'\n')
                    continue;
                if (counted == lines)
                    return position + i + 1;
                counted++;
            }
        }
        return counted == lines ? 0 : -1;
    }

    private long CountLines(Stream stream)
    {
        long lines = 0;
        int read;
        while ((read = stream.Read(_buffer)) > 0)
            lines += _buffer.AsSpan(0, read).Count((byte)'\n');
        return lines;
    }

    /// <summary>The next complete entries, at most <paramref name="maxEntries"/>; empty when nothing more is written yet.</summary>
    public List<LogEntry> ReadAvailable(int maxEntries = 1024)
    {
        var entries = new List<LogEntry>();
        while (entries.Count < maxEntries)
        {
            if (_start == _end && !Fill())
                break;
            var data = _buffer.AsSpan(_start, _end - _start);
            int newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Keep(data);
                _start = _end;
                continue;
            }
            _start += newline + 1;
            ReadOnlySpan<byte> line;
            if (_partial.WrittenCount > 0 || _discarding)
            {
                Keep(data[..newline]);
                line = _discarding ? [] : _partial.WrittenSpan;
            }
            else
                line = data[..newline];
            bool skip = _skipLines > 0 || _discarding;
            if (_skipLines > 0)
                _skipLines--;
            if (!skip && _format.Parse(line) is { } entry)
                entries.Add(entry);
            _partial.Clear();
            _discarding = false;
        }
        return entries;
    }

    private void Keep(ReadOnlySpan<byte> data)
    {
        if (_discarding)
            return;
        if (_partial.WrittenCount + data.Length > MaxLineBytes)
        {
            _partial.Clear();
            _discarding = true;
            return;
        }
        _partial.Write(data);
    }

    /// <summary>Refills the buffer from the current file; moves on to the next rotated file, or to the log that replaced the live one.</summary>
    private bool Fill()
    {
        _start = _end = 0;
        while (true)
        {
            if (_rotated.TryPeek(out var rotated))
            {
                int n = rotated.Read(_buffer);
                if (n > 0)
                {
                    _end = n;
                    return true;
                }
                _rotated.Dequeue().Dispose();
                DropPartial();
                continue;
            }
            _live ??= TryOpen(_path);
            if (_live is null)
                return false;
            int read = _live.Read(_buffer);
            if (read > 0)
            {
                _end = read;
                return true;
            }
            if (!Replaced())
                return false;
            // Rotated: what was written to the old file before the rename is read first, above, on the next round.
            read = _live.Read(_buffer);
            if (read > 0)
            {
                _end = read;
                return true;
            }
            _live.Dispose();
            _live = TryOpen(_path);
            DropPartial();
        }
    }

    /// <summary>Whether the log's path now names another file than the one being read (the writer rotated it).</summary>
    private bool Replaced()
    {
        // Gone for a moment (max-file 1 deletes the log before it makes the new one): wait for the new one.
        if (!Sys.TryLstat(_path, out var current))
            return false;
        return current.Inode != Sys.Fstat(_live!.SafeFileHandle).Inode;
    }

    /// <summary>A file ended inside a line (the writer died mid-entry): that line is not finished by the next file.</summary>
    private void DropPartial()
    {
        _partial.Clear();
        _discarding = false;
    }

    public void Dispose()
    {
        while (_rotated.TryDequeue(out var stream))
            stream.Dispose();
        _live?.Dispose();
    }
}
