using System.IO.Compression;
using System.Text;
using Berth.Engine.Logs;
using NUnit.Framework;

namespace Berth.Engine.Tests.Logs;

/// <summary>json-file rotation (max-size, max-file, compress), tail read backwards, and reading across rotated files.</summary>
public sealed class LogRotationTests
{
    private static readonly DateTime T0 = new(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);
    private string _dir = "";
    private string _path = "";

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Directory.CreateTempSubdirectory("berth-logs-").FullName;
        _path = Path.Combine(_dir, "c-json.log");
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    private static void WriteLines(LogFileWriter writer, int from, int count)
    {
        for (int i = from; i < from + count; i++)
            writer.Write(LogStream.Stdout, Encoding.UTF8.GetBytes($"line {i}\n"), T0.AddMilliseconds(i));
        writer.Flush();
    }

    private static List<string> ReadAll(LogFileReader reader)
    {
        var lines = new List<string>();
        while (reader.ReadAvailable(100) is { Count: > 0 } batch)
            lines.AddRange(batch.Select(e => Encoding.UTF8.GetString(e.Line).TrimEnd('\n')));
        return lines;
    }

    [Test]
    public void Rotation_keeps_at_most_max_file_files_of_about_max_size_and_logs_reads_across_them()
    {
        var settings = LogSettings.Parse(new LogConfig { Type = "json-file", Config = new() { ["max-size"] = "1k", ["max-file"] = "3" } });
        using (var writer = new LogFileWriter(_path, settings))
            WriteLines(writer, 0, 200);
        var files = Directory.GetFiles(_dir).Select(Path.GetFileName).Order().ToList();
        Assert.That(files, Is.EqualTo(new[] { "c-json.log", "c-json.log.1", "c-json.log.2" }));
        // Rotation happens before the entry that would follow a full file: a file ends within one entry of max-size.
        foreach (string? file in files)
            Assert.That(new FileInfo(Path.Combine(_dir, file ?? "")).Length, Is.LessThan(1024 + 100), file);

        using var reader = new LogFileReader(_path);
        var lines = ReadAll(reader);
        Assert.That(lines[^1], Is.EqualTo("line 199"));
        Assert.That(lines, Is.EqualTo(Enumerable.Range(200 - lines.Count, lines.Count).Select(i => $"line {i}")), "in order, none missing between files");
        Assert.That(lines.Count, Is.GreaterThan(20));

        using var tail = new LogFileReader(_path, tail: lines.Count - 3);
        Assert.That(ReadAll(tail), Is.EqualTo(lines.Skip(3)), "a tail that starts in a rotated file");
    }

    [Test]
    public void Compressed_rotations_are_gzip_and_read_back_with_a_tail()
    {
        var settings = LogSettings.Parse(new LogConfig { Type = "json-file", Config = new() { ["max-size"] = "2k", ["max-file"] = "4", ["compress"] = "true" } });
        using (var writer = new LogFileWriter(_path, settings))
            WriteLines(writer, 0, 150);
        var files = Directory.GetFiles(_dir).Select(Path.GetFileName).Order().ToList();
        Assert.That(files, Is.EqualTo(new[] { "c-json.log", "c-json.log.1.gz", "c-json.log.2.gz", "c-json.log.3.gz" }));
        using (var gzip = new GZipStream(File.OpenRead(Path.Combine(_dir, "c-json.log.1.gz")), CompressionMode.Decompress))
        using (var text = new StreamReader(gzip))
            Assert.That(text.ReadLine(), Does.StartWith("{\"log\":\"line "));

        using var all = new LogFileReader(_path);
        var lines = ReadAll(all);
        Assert.That(lines[^1], Is.EqualTo("line 149"));
        using var tail = new LogFileReader(_path, tail: lines.Count - 1);
        Assert.That(ReadAll(tail), Is.EqualTo(lines.Skip(1)), "a tail that starts in a gzipped file");
    }

    [Test]
    public void Max_file_one_truncates_and_a_follower_goes_on_in_the_new_file()
    {
        var settings = LogSettings.Parse(new LogConfig { Type = "json-file", Config = new() { ["max-size"] = "1k" } });
        using var writer = new LogFileWriter(_path, settings);
        using var follower = new LogFileReader(_path);
        WriteLines(writer, 0, 5);
        Assert.That(ReadAll(follower), Has.Count.EqualTo(5));
        WriteLines(writer, 5, 100);
        Assert.That(Directory.GetFiles(_dir), Has.Length.EqualTo(1));
        var followed = ReadAll(follower);
        Assert.That(followed[^1], Is.EqualTo("line 104"), "the follower crossed the rotations to the current file");
    }

    [TestCase(0, new string[0])]
    [TestCase(1, new[] { "line 9" })]
    [TestCase(3, new[] { "line 7", "line 8", "line 9" })]
    [TestCase(50, null)]
    public void Tail_counts_complete_lines_from_the_end(int tail, string[]? expected)
    {
        using (var writer = new LogFileWriter(_path))
            WriteLines(writer, 0, 10);
        File.AppendAllText(_path, "{\"log\":\"unfinis"); // the writer is mid-entry
        using var reader = new LogFileReader(_path, tail);
        Assert.That(ReadAll(reader), Is.EqualTo(expected ?? Enumerable.Range(0, 10).Select(i => $"line {i}").ToArray()));
    }

    [Test]
    public void A_tail_of_a_large_log_reads_only_its_end()
    {
        // 64 MiB of log: the old reader parsed all of it into a list (4.4 GB of berthd for --tail 1 of 1.75 GB).
        var entry = Encoding.UTF8.GetBytes("{\"log\":\"" + new string('x', 200) + "\\n\",\"stream\":\"stdout\",\"time\":\"2025-01-02T03:04:05Z\"}\n");
        using (var file = new FileStream(_path, FileMode.Create))
        {
            var block = new byte[entry.Length * 4096];
            for (int i = 0; i < 4096; i++)
                entry.CopyTo(block, i * entry.Length);
            for (long written = 0; written < 64L << 20; written += block.Length)
                file.Write(block);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        using (var reader = new LogFileReader(_path, tail: 10))
            Assert.That(ReadAll(reader), Has.Count.EqualTo(10));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.LessThan(1 << 20), "a tail allocates a small constant, not the log's size");

        // A full read streams in batches: what it allocates is garbage per batch, never the log held at once. What
        // is live is measured after a full collection (every 64th batch): uncollected garbage, and other tests'
        // allocations in this process, made the peak of GC.GetTotalMemory(false) a coin toss.
        long peak = 0;
        using (var reader = new LogFileReader(_path))
        {
            long count = 0;
            int batches = 0;
            while (reader.ReadAvailable(256) is { Count: > 0 } batch)
            {
                count += batch.Count;
                if (++batches % 64 == 0)
                    peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
            }
            Assert.That(count, Is.GreaterThan(200_000));
        }
        Assert.That(peak, Is.LessThan(64L << 20), "the heap never holds the log");
    }

    [TestCase("max-size=abc", "invalid max-size")]
    [TestCase("max-file=0", "max-file cannot be less than 1")]
    [TestCase("max-file=3", "max-file cannot be set when max-size is not set")]
    [TestCase("compress=true", "compress cannot be set when max-size is not set")]
    [TestCase("colour=red", "unknown log opt 'colour' for json-file log driver")]
    public void Bad_options_are_refused_with_moby_s_words(string option, string message)
    {
        string[] kv = option.Split('=');
        Assert.That(() => LogSettings.Parse(new LogConfig { Type = "json-file", Config = new() { [kv[0]] = kv[1] } }),
            Throws.TypeOf<InvalidParameterException>().With.Message.Contains(message));
    }

    [Test]
    public void Drivers_and_daemon_defaults()
    {
        Assert.That(() => LogSettings.Parse(new LogConfig { Type = "syslog2" }), Throws.TypeOf<InvalidParameterException>().With.Message.EqualTo("logger: no log driver named 'syslog2' is registered"));
        Assert.That(LogSettings.Parse(new LogConfig { Type = "none" }).Driver, Is.EqualTo("none"));
        var daemon = new LogConfig { Type = "json-file", Config = new() { ["max-size"] = "10m", ["max-file"] = "3" } };
        var merged = LogSettings.Merge(new LogConfig { Config = new() { ["max-file"] = "5" } }, daemon);
        Assert.That((merged.Type, merged.Config["max-size"], merged.Config["max-file"]), Is.EqualTo(("json-file", "10m", "5")));
        Assert.That(LogSettings.Merge(new LogConfig { Type = "none" }, daemon).Config, Is.Empty, "another driver does not take the default's options");
        Assert.That(LogSettings.Merge(null, daemon).Config, Has.Count.EqualTo(2));
    }
}
