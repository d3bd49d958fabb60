using System.Text;
using Berth.Engine.Logs;
using NUnit.Framework;

namespace Berth.Engine.Tests.Logs;

public sealed class JsonFileLogReaderTests
{
    private string _path = "";

    [SetUp]
    public void CreatePath() => _path = Path.Combine(Path.GetTempPath(), "berth-log-" + Guid.NewGuid().ToString("N") + ".json");

    [TearDown]
    public void DeleteFile() => File.Delete(_path);

    [Test]
    public void ReadsWhatTheWriterWroteThenWhatItAppends()
    {
        var t0 = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        using var writer = new LogFileWriter(_path);
        using var reader = new LogFileReader(_path);
        writer.Write(LogStream.Stdout, "one\ntw"u8, t0);
        writer.Write(LogStream.Stderr, "err\n"u8, t0.AddSeconds(1));
        writer.Flush();
        var first = reader.ReadAvailable();
        Assert.That(first.Select(e => (e.Stream, Encoding.UTF8.GetString(e.Line))), Is.EqualTo(new[] { (LogStream.Stdout, "one\n"), (LogStream.Stderr, "err\n") }));
        Assert.That(first[0].Time, Is.EqualTo(t0));
        writer.Write(LogStream.Stdout, "o\n"u8, t0.AddSeconds(2));
        writer.Complete(LogStream.Stdout, t0.AddSeconds(3));
        writer.Flush();
        var second = reader.ReadAvailable();
        Assert.That(second.Select(e => Encoding.UTF8.GetString(e.Line)), Is.EqualTo(new[] { "two\n" }));
        Assert.That(reader.ReadAvailable(), Is.Empty);
    }

    [Test]
    public void KeepsAHalfWrittenLineUntilItsNewline()
    {
        File.WriteAllText(_path, "{\"log\":\"a\\n\",\"stream\":\"stdout\",\"time\":\"2025-01-02T03:04:05Z\"}\n{\"log\":\"b");
        using var reader = new LogFileReader(_path);
        Assert.That(reader.ReadAvailable(), Has.Count.EqualTo(1));
        File.AppendAllText(_path, "\\n\",\"stream\":\"stderr\",\"time\":\"2025-01-02T03:04:06Z\"}\nnot json\n");
        var rest = reader.ReadAvailable();
        Assert.That(rest, Has.Count.EqualTo(1));
        Assert.That(rest[0].Stream, Is.EqualTo(LogStream.Stderr));
        Assert.That(Encoding.UTF8.GetString(rest[0].Line), Is.EqualTo("b\n"));
    }

    [Test]
    public void AMissingFileReadsAsEmptyUntilItAppears()
    {
        using var reader = new LogFileReader(_path);
        Assert.That(reader.ReadAvailable(), Is.Empty);
        File.WriteAllText(_path, "{\"log\":\"late\\n\",\"stream\":\"stdout\",\"time\":\"2025-01-02T03:04:05Z\"}\n");
        Assert.That(reader.ReadAvailable().Select(e => Encoding.UTF8.GetString(e.Line)), Is.EqualTo(new[] { "late\n" }));
    }
}
