using System.Threading.Channels;
using Berth.Api;
using Berth.Registry;

namespace Berth.Daemon.Api;

/// <summary>
/// Pull and push progress (reported on download threads) as JSON messages for the response. Byte counts of one
/// layer go out at most every 100 ms, as moby's progress writer throttles them; every other status goes out.
/// </summary>
public sealed class RegistryProgressReporter : IProgress<RegistryProgress>
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly Channel<JsonMessage> _messages = Channel.CreateUnbounded<JsonMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, DateTime> _lastBytes = new(StringComparer.Ordinal);

    public ChannelReader<JsonMessage> Messages => _messages.Reader;

    public void Report(RegistryProgress value)
    {
        if (value.Current is { } current && value.Total is { } total && current > 0 && current < total && value.Id is { } id)
        {
            var now = DateTime.UtcNow;
            lock (_lastBytes)
            {
                if (_lastBytes.TryGetValue(id, out var last) && now - last < Interval)
                    return;
                _lastBytes[id] = now;
            }
        }
        _messages.Writer.TryWrite(new JsonMessage
        {
            Status = value.Status,
            Id = value.Id,
            ProgressDetail = value.Current is not null ? new ProgressDetail { Current = value.Current.Value, Total = value.Total ?? 0 } : null,
        });
    }

    public void Write(JsonMessage message) => _messages.Writer.TryWrite(message);

    public void Complete() => _messages.Writer.TryComplete();
}
