using Berth.Cli.Output;

namespace Berth.Cli.Files;

/// <summary>
/// docker cp's progress on a terminal stderr ("Copying to container - 1.2MB", redrawn every 75 ms with the aec cursor
/// codes), and the size counted for "Successfully copied 2.05kB to …".
/// </summary>
internal sealed class CopyProgress : IAsyncDisposable
{
    private readonly TextWriter? _terminal;
    private readonly string _header;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _drawing;
    private long _total;

    private CopyProgress(TextWriter? terminal, string header)
    {
        _terminal = terminal;
        _header = header;
        _drawing = terminal is null ? Task.CompletedTask : DrawAsync();
    }

    public long Total => Interlocked.Read(ref _total);

    /// <param name="terminal">stderr when it is a terminal, else null (nothing is drawn).</param>
    public static CopyProgress Start(TextWriter? terminal, string header)
    {
        terminal?.Write("\u001b[s" + "Preparing to copy...");
        return new CopyProgress(terminal, header);
    }

    /// <summary>The bytes copied so far (a <see cref="Streams.ProgressReadStream"/> reports them).</summary>
    public void Report(long total) => Interlocked.Exchange(ref _total, total);

    /// <summary>go-units HumanSizeWithPrecision(n, 3).</summary>
    public static string Size(long bytes) => HumanUnits.Size(bytes, 3);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _drawing;
        _terminal?.Write("\u001b[u\u001b[2K");
        _stop.Dispose();
    }

    private async Task DrawAsync()
    {
        await Task.Yield();
        var terminal = _terminal!;
        await terminal.WriteAsync("\u001b[?25l\u001b[u\u001b[2K" + _header + Size(0));
        long last = 0;
        try
        {
            using var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(75));
            while (await ticker.WaitForNextTickAsync(_stop.Token))
            {
                long now = Total;
                if (now == last)
                    continue;
                await terminal.WriteAsync($"\u001b[{_header.Length + 1}G\u001b[0K{Size(now)}");
                last = now;
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await terminal.WriteAsync("\u001b[?25h");
        }
    }
}
