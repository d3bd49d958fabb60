using System.Threading.Channels;
using Berth.Api;
using Berth.Engine.Images;

namespace Berth.Daemon.Api;

/// <summary>
/// Turns the image store's load progress (reported on the loading thread) into JSON messages for the response,
/// like moby's "Loading layer" progress: at most one progress message per layer every 100 ms, and one at its end.
/// </summary>
public sealed class ImageLoadReporter : IProgress<ImageLoadProgress>
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly Channel<JsonMessage> _messages = Channel.CreateUnbounded<JsonMessage>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private DateTime _lastProgress;

    public ChannelReader<JsonMessage> Messages => _messages.Reader;

    public void Report(ImageLoadProgress value)
    {
        switch (value.Kind)
        {
            case ImageLoadProgressKind.LayerProgress:
                var now = DateTime.UtcNow;
                if (now - _lastProgress < Interval && value.Current < value.Total)
                    return;
                _lastProgress = now;
                Write(value, ShortId(value.Name, null));
                break;
            case ImageLoadProgressKind.LayerDone:
                Write(value, ShortId(value.Name, value.Digest));
                break;
        }
    }

    public void Complete() => _messages.Writer.TryComplete();

    private void Write(ImageLoadProgress value, string id) => _messages.Writer.TryWrite(new JsonMessage
    {
        Status = "Loading layer",
        Id = id,
        ProgressDetail = new ProgressDetail { Current = value.Current, Total = value.Total },
    });

    /// <summary>12 hex digits: of the DiffID when known, else of the archive entry (<c>blobs/sha256/&lt;hex&gt;</c>, <c>&lt;hex&gt;/layer.tar</c>).</summary>
    private static string ShortId(string entry, string? digest)
    {
        if (digest is not null)
        {
            string hex = digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest[7..] : digest;
            return hex.Length >= 12 ? hex[..12] : hex;
        }
        foreach (string part in entry.Split('/').Reverse())
            if (part.Length >= 12 && part.All(char.IsAsciiHexDigitLower))
                return part[..12];
        return entry;
    }
}
