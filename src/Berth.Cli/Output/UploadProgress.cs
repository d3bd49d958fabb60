using System.Diagnostics;

namespace Berth.Cli.Output;

/// <summary>
/// The line <c>berth load</c> shows on a terminal while the archive streams to the daemon:
/// "Sending image  [=====>   ]  12.6MB/45.2MB", redrawn in place at most ten times a second and erased at the end.
/// Nothing is shown when stderr is not a terminal.
/// </summary>
internal sealed class UploadProgress
{
    private static readonly long Interval = Stopwatch.Frequency / 10;

    private readonly TextWriter _output;
    private readonly bool _enabled;
    private readonly long? _total;
    private readonly int _width;
    private long _lastDraw = long.MinValue;
    private long _lastSent = -1;
    private bool _drawn;

    public UploadProgress(TextWriter output, bool isTerminal, long? total, int width)
    {
        _output = output;
        _enabled = isTerminal;
        _total = total;
        _width = width > 0 ? width : 80;
    }

    /// <summary>The line for <paramref name="sent"/> bytes, without control characters.</summary>
    public string Line(long sent) => "Sending image " + ProgressBar.Format(sent, _total ?? 0, _width).TrimStart();

    public void Report(long sent)
    {
        if (!_enabled || sent == _lastSent)
            return;
        long now = Stopwatch.GetTimestamp();
        if (_drawn && now - _lastDraw < Interval && sent != _total)
            return;
        _lastDraw = now;
        _lastSent = sent;
        _drawn = true;
        _output.Write("\x1b[2K\r" + Line(sent) + "\r");
    }

    /// <summary>Erases the line, so that the daemon's messages start on a clean one.</summary>
    public void Finish()
    {
        if (_enabled && _drawn)
            _output.Write("\x1b[2K\r");
    }
}
