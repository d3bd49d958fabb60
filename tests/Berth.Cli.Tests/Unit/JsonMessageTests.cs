using System.Text;
using Berth.Cli.Output;
using NUnit.Framework;

namespace Berth.Cli.Tests.Unit;

/// <summary>The load and pull message streams rendered as moby's jsonmessage renders them.</summary>
public sealed class JsonMessageTests
{
    [Test]
    public async Task StreamsArePrintedAndProgressIsHiddenOffTerminals()
    {
        const string body = "{\"status\":\"Loading layer\",\"progressDetail\":{\"current\":512,\"total\":1024},\"id\":\"abc\"}\r\n"
                            + "{\"stream\":\"Loaded image: busybox:latest\\n\"}\n";
        var output = new StringWriter();
        await new JsonMessageRenderer(output, isTerminal: false, 0).RenderAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), CancellationToken.None);
        Assert.That(output.ToString(), Is.EqualTo("Loaded image: busybox:latest\n"));
    }

    [Test]
    public async Task ProgressIsRedrawnInPlaceOnTerminals()
    {
        const string body = "{\"status\":\"Loading layer\",\"progressDetail\":{\"current\":512,\"total\":1024},\"id\":\"abc\"}\n"
                            + "{\"status\":\"Loading layer\",\"progressDetail\":{\"current\":1024,\"total\":1024},\"id\":\"abc\"}\n";
        var output = new StringWriter();
        await new JsonMessageRenderer(output, isTerminal: true, 120).RenderAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), CancellationToken.None);
        string bar = "[" + new string('=', 25) + ">" + new string(' ', 25) + "] ";
        Assert.That(output.ToString(), Is.EqualTo(
            "\n\x1b[1A\x1b[2K\rabc: Loading layer " + bar + "    512B/1.024kB\r\x1b[1B"
            + "\x1b[1A\x1b[2K\rabc: Loading layer [" + new string('=', 50) + ">]  1.024kB/1.024kB\r\x1b[1B"));
    }

    [Test]
    public void ErrorsEndTheStream()
    {
        const string body = "{\"errorDetail\":{\"message\":\"invalid tar header\"},\"error\":\"invalid tar header\"}\n";
        var error = Assert.ThrowsAsync<JsonMessageException>(() =>
            new JsonMessageRenderer(new StringWriter(), false, 0).RenderAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), CancellationToken.None));
        Assert.That(error!.Message, Is.EqualTo("invalid tar header"));
    }

    [Test]
    public void UploadProgressShowsSentAndTotal()
    {
        var progress = new UploadProgress(new StringWriter(), isTerminal: true, total: 4_000_000, width: 80);
        Assert.That(progress.Line(1_000_000), Is.EqualTo("Sending image 1MB/4MB"));
        var wide = new UploadProgress(new StringWriter(), isTerminal: true, total: 4_000_000, width: 120);
        Assert.That(wide.Line(2_000_000), Is.EqualTo("Sending image [" + new string('=', 25) + ">" + new string(' ', 25) + "]      2MB/4MB"));
    }
}
