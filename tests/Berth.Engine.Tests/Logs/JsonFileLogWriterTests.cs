using System.Text;
using System.Text.Json;
using Berth.Engine.Logs;
using NUnit.Framework;

namespace Berth.Engine.Tests.Logs;

public sealed class JsonFileLogWriterTests
{
    private string _path = null!;

    [SetUp]
    public void CreatePath() => _path = Path.Combine(Path.GetTempPath(), $"berth-log-{Guid.NewGuid():N}.log");

    [TearDown]
    public void DeletePath() => File.Delete(_path);

    private List<(string Log, string Stream, string Time)> Entries() =>
        File.ReadAllLines(_path).Select(l =>
        {
            var e = JsonDocument.Parse(l).RootElement;
            return (e.GetProperty("log").GetString()!, e.GetProperty("stream").GetString()!, e.GetProperty("time").GetString()!);
        }).ToList();

    [Test]
    public void One_entry_per_line_with_stream_and_rfc3339nano_time()
    {
        var time = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234560);
        using (var log = new LogFileWriter(_path))
        {
            log.Write(LogStream.Stdout, "a\nb"u8, time);
            log.Write(LogStream.Stderr, "err\n"u8, time);
            log.Write(LogStream.Stdout, "c\n"u8, time);
            log.Complete(LogStream.Stdout, time);
        }
        var entries = Entries();
        Assert.That(entries.Select(e => (e.Log, e.Stream)), Is.EqualTo(new[] { ("a\n", "stdout"), ("err\n", "stderr"), ("bc\n", "stdout") }));
        Assert.That(entries[0].Time, Is.EqualTo("2025-01-02T03:04:05.123456Z"));
    }

    [Test]
    public void A_partial_last_line_is_written_without_newline_at_the_end()
    {
        using (var log = new LogFileWriter(_path))
        {
            log.Write(LogStream.Stdout, "no newline"u8, DateTime.UtcNow);
            log.Complete(LogStream.Stdout, DateTime.UtcNow);
            log.Complete(LogStream.Stderr, DateTime.UtcNow);
        }
        Assert.That(Entries().Select(e => e.Log), Is.EqualTo(new[] { "no newline" }));
    }

    [Test]
    public void Long_lines_are_cut_into_16k_pieces()
    {
        byte[] line = Encoding.ASCII.GetBytes(new string('x', 40_000) + "\n");
        using (var log = new LogFileWriter(_path))
            log.Write(LogStream.Stdout, line, DateTime.UtcNow);
        var pieces = Entries().Select(e => e.Log).ToList();
        Assert.That(pieces.Select(p => p.Length), Is.EqualTo(new[] { 16384, 16384, 40_001 - 32768 }));
        Assert.That(string.Concat(pieces), Is.EqualTo(Encoding.ASCII.GetString(line)));
    }

    [Test]
    public void Invalid_utf8_and_control_characters_stay_valid_json()
    {
        using (var log = new LogFileWriter(_path))
            log.Write(LogStream.Stdout, new byte[] { 0xff, (byte)'"', 0x01, (byte)'\n' }, DateTime.UtcNow);
        Assert.That(Entries().Single().Log, Is.EqualTo("\ufffd\"\u0001\n"));
    }

    [TestCase("2025-01-02T03:04:05Z")]
    [TestCase("2025-01-02T03:04:05.5Z")]
    [TestCase("2025-01-02T03:04:05.1234567Z")]
    public void Timestamps_round_trip(string text) =>
        Assert.That(LogTimestamp.Format(LogTimestamp.Parse(text)), Is.EqualTo(text));
}
