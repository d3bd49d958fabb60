using System.Text;
using Berth.Api.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Api.Tests.Api;

/// <summary>
/// `logs` of a 200 MB json-file log against the real berthd: a tail and a full streamed read leave berthd's peak
/// resident memory (VmHWM) far below the log's size. Before, `--tail 1` of a 1.75 GB log took 4.4 GB of berthd.
/// </summary>
public sealed class LargeLogApiTests : DaemonFixture
{
    private const long LogBytes = 200L << 20;

    [Test]
    public async Task Logs_of_a_log_larger_than_berthd_s_budget_stream_with_bounded_memory()
    {
        string id = await CreateAsync(UniqueName("biglog"), "true");
        var inspect = (await Api.GetAsync($"/containers/{id}/json")).Json;
        string logPath = inspect.GetProperty("LogPath").GetString()!;
        long lines = WriteLog(logPath);

        var tail = await Api.GetAsync($"/containers/{id}/logs?stdout=1&stderr=1&tail=2");
        Assert.That(tail.Status, Is.EqualTo(200));
        var frames = await StdCopyReader.DemultiplexAsync(tail.Body);
        Assert.That(frames.Stdout, Is.EqualTo($"line {lines - 2}\nline {lines - 1}\n"));

        long streamed = 0;
        await using (var response = await Api.Http.GetAsync($"/containers/{id}/logs?stdout=1&stderr=1"))
        {
            Assert.That(response.StatusCode, Is.EqualTo(200));
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await response.Body.ReadAsync(buffer)) > 0)
                streamed += n;
        }
        Assert.That(streamed, Is.GreaterThan(lines * 8), "every line came out, framed");

        long peakKb = PeakResidentKb(Daemon.Pid);
        TestContext.Out.WriteLine($"berthd VmHWM after logs of a {LogBytes >> 20} MiB log: {peakKb / 1024} MiB");
        Assert.That(peakKb * 1024, Is.LessThan(LogBytes / 2), "berthd never held the log in memory");
        await Api.DeleteAsync($"/containers/{id}");
    }

    /// <summary>Writes ~200 MB of json-file entries quickly (one block repeated); returns the number of lines.</summary>
    private static long WriteLog(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, 1 << 20);
        var block = new StringBuilder();
        long line = 0;
        long written = 0;
        while (written < LogBytes)
        {
            block.Clear();
            for (int i = 0; i < 4096; i++, line++)
                block.Append("{\"log\":\"line ").Append(line).Append("\\n\",\"stream\":\"stdout\",\"time\":\"2025-01-02T03:04:05.123456789Z\"}\n");
            byte[] bytes = Encoding.UTF8.GetBytes(block.ToString());
            file.Write(bytes);
            written += bytes.Length;
        }
        return line;
    }

    private static long PeakResidentKb(int pid)
    {
        foreach (string status in File.ReadLines($"/proc/{pid}/status"))
            if (status.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(status.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        throw new InvalidOperationException("no VmHWM in /proc/pid/status");
    }
}
