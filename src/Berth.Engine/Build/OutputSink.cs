using System.Text;
using System.Threading.Channels;
using Berth.Engine.Logs;

namespace Berth.Engine.Build;

/// <summary>A RUN container's stdout and stderr, decoded and queued for the build stream (both go out as "stream").</summary>
internal sealed class OutputSink : IOutputSink
{
    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Decoder _stdout = Encoding.UTF8.GetDecoder();
    private readonly Decoder _stderr = Encoding.UTF8.GetDecoder();
    private readonly Lock _lock = new();

    public ChannelReader<string> Reader => _channel.Reader;

    public void Write(LogStream stream, ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            var decoder = stream == LogStream.Stderr ? _stderr : _stdout;
            var chars = new char[decoder.GetCharCount(data, flush: false)];
            int n = decoder.GetChars(data, chars, flush: false);
            if (n > 0)
                _channel.Writer.TryWrite(new string(chars, 0, n));
        }
    }

    public void Complete() => _channel.Writer.TryComplete();
}
