using System.Buffers;
using System.IO.Compression;
using System.Text;
using Berth.Engine.Logs;
using NUnit.Framework;

namespace Berth.Engine.Tests.Logs;

/// <summary>The local log driver: its compact records, Docker's defaults, and rotation, tail and follow shared with json-file.</summary>
public sealed class LocalLogDriverTests
{
    private static readonly DateTime T0 = new(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);
    private string _dir = "";
    private string _path = "";

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Directory.CreateTempSubdirectory("berth-local-logs-").FullName;
        _path = Path.Combine(_dir, "local-logs", "container.log");
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    private static LogSettings Local(params string[] options) =>
        LogSettings.Parse(new LogConfig { Type = "local", Config = options.Select(o => o.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]) });

    private static List<string> ReadAll(LogFileReader reader)
    {
        var lines = new List<string>();
        while (reader.ReadAvailable(100) is { Count: > 0 } batch)
            lines.AddRange(batch.Select(e => Encoding.UTF8.GetString(e.Line).TrimEnd('\n')));
        return lines;
    }

    [Test]
    public void Records_round_trip_stream_time_line_and_a_missing_newline()
    {
        var time = T0.AddTicks(1234567);
        using (var log = new LogFileWriter(_path, Local()))
        {
            log.Write(LogStream.Stdout, "a\nb"u8, time);
            log.Write(LogStream.Stderr, new byte[] { 0xff, 0x00, (byte)'\n' }, time);
            log.Complete(LogStream.Stdout, time.AddSeconds(1));
        }
        using var reader = new LogFileReader(_path, driver: "local");
        var entries = reader.ReadAvailable();
        Assert.That(entries.Select(e => (e.Stream, e.Time, Convert.ToHexString(e.Line))), Is.EqualTo(new[]
        {
            (LogStream.Stdout, time, "610A"),
            (LogStream.Stderr, time, "FF000A"),
            (LogStream.Stdout, time.AddSeconds(1), "62"),
        }));
    }

    [Test]
    public void A_two_byte_line_costs_far_less_than_json_file_s_72_bytes()
    {
        var local = new ArrayBufferWriter<byte>();
        new LocalLogRecordFormat().Encode(local, LogStream.Stdout, "a\n"u8, T0);
        var json = new ArrayBufferWriter<byte>();
        new JsonLogRecordFormat().Encode(json, LogStream.Stdout, "a\n"u8, T0.AddTicks(1234567));
        TestContext.Out.WriteLine($"2-byte line: local {local.WrittenCount} bytes, json-file {json.WrittenCount}");
        Assert.That(local.WrittenCount, Is.EqualTo(12));
        Assert.That(json.WrittenCount, Is.GreaterThan(60));
        Assert.That(new LocalLogRecordFormat().Parse(local.WrittenSpan[..^1])!.Line, Is.EqualTo("a\n"u8.ToArray()));
        Assert.That(new LocalLogRecordFormat().Parse(json.WrittenSpan[..^1]), Is.Null, "a json-file record is not a local one");
    }

    [Test]
    public void Docker_s_defaults_and_moby_s_checks()
    {
        Assert.That(Local(), Is.EqualTo(new LogSettings("local", 20L << 20, 5, true)));
        Assert.That(Local("max-size=1m", "max-file=2", "compress=false"), Is.EqualTo(new LogSettings("local", 1L << 20, 2, false)));
        Assert.That(Local("max-file=1"), Is.EqualTo(new LogSettings("local", 20L << 20, 1, false)), "nothing rotated to compress");
        Assert.That(() => Local("max-file=1", "compress=true"), Throws.TypeOf<InvalidParameterException>().With.Message.EqualTo("compression cannot be enabled when max file count is 1"));
        Assert.That(() => Local("max-size=0"), Throws.TypeOf<InvalidParameterException>().With.Message.EqualTo("max-size must be a positive number"));
        Assert.That(() => Local("max-file=0"), Throws.TypeOf<InvalidParameterException>().With.Message.EqualTo("max-file cannot be less than 1"));
        Assert.That(() => Local("labels=x"), Throws.TypeOf<InvalidParameterException>().With.Message.EqualTo("unknown log opt 'labels' for local log driver"));
    }

    [Test]
    public void Rotation_gzips_old_files_and_tail_and_full_reads_cross_them()
    {
        using (var writer = new LogFileWriter(_path, Local("max-size=1k", "max-file=3")))
            for (int i = 0; i < 500; i++)
                writer.Write(LogStream.Stdout, Encoding.UTF8.GetBytes($"line {i}\n"), T0.AddMilliseconds(i));
        string logs = Path.GetDirectoryName(_path)!;
        Assert.That(Directory.GetFiles(logs).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "container.log", "container.log.1.gz", "container.log.2.gz" }));
        using (var gzip = new GZipStream(File.OpenRead(_path + ".1.gz"), CompressionMode.Decompress))
        {
            var decompressed = new MemoryStream();
            gzip.CopyTo(decompressed);
            Assert.That(decompressed.Length, Is.InRange(1024, 1024 + 100), "a rotated file holds max-size of records");
        }

        using var all = new LogFileReader(_path, driver: "local");
        var lines = ReadAll(all);
        Assert.That(lines[^1], Is.EqualTo("line 499"));
        Assert.That(lines, Is.EqualTo(Enumerable.Range(500 - lines.Count, lines.Count).Select(i => $"line {i}")), "in order, none missing between files");
        using var tail = new LogFileReader(_path, tail: lines.Count - 2, driver: "local");
        Assert.That(ReadAll(tail), Is.EqualTo(lines.Skip(2)), "a tail that starts in a gzipped file");
    }

    [Test]
    public void A_follower_goes_on_across_rotations()
    {
        using var writer = new LogFileWriter(_path, Local("max-size=1k", "max-file=2", "compress=false"));
        writer.Write(LogStream.Stdout, "first\n"u8, T0);
        writer.Flush();
        using var follower = new LogFileReader(_path, driver: "local");
        Assert.That(ReadAll(follower), Is.EqualTo(new[] { "first" }));
        for (int i = 0; i < 300; i++)
            writer.Write(LogStream.Stdout, Encoding.UTF8.GetBytes($"line {i}\n"), T0);
        writer.Flush();
        var followed = ReadAll(follower);
        Assert.That(followed[^1], Is.EqualTo("line 299"), "the follower crossed the rotations to the current file");
    }
}
