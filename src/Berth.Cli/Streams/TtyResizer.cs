using System.Runtime.InteropServices;
using System.Threading.Channels;
using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.Streams;

/// <summary>
/// docker/cli MonitorTtySize: POST {container or exec}/resize?h=&amp;w= with the local terminal's size right away,
/// retried up to 10 times 10, 20, … 100 ms apart in the background when it fails (the process may not be running
/// yet), then again on every SIGWINCH. A size of 0x0 (stdout is not a terminal) is never sent.
/// </summary>
internal sealed class TtyResizer : IDisposable
{
    private readonly DaemonClient _client;
    private readonly string _resource;
    private readonly CliConsole _console;
    private readonly Channel<bool> _changes = Channel.CreateUnbounded<bool>(new UnboundedChannelOptions { SingleReader = true });
    private readonly PosixSignalRegistration _winch;

    private TtyResizer(DaemonClient client, string resource, CliConsole console)
    {
        _client = client;
        _resource = resource;
        _console = console;
        _winch = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => _changes.Writer.TryWrite(true));
        _ = FollowAsync();
    }

    /// <param name="resource">"/containers/{id}" or "/exec/{id}".</param>
    public static async Task<TtyResizer> StartAsync(DaemonClient client, string resource, CliConsole console)
    {
        var resizer = new TtyResizer(client, resource, console);
        if (!await resizer.TryResizeAsync())
            _ = resizer.RetryAsync();
        return resizer;
    }

    /// <summary>One resize to the given size, errors ignored (attach sends the size plus one first, to make the program redraw).</summary>
    public static async Task ResizeOnceAsync(DaemonClient client, string resource, int height, int width)
    {
        try
        {
            await ResizeToAsync(client, resource, height, width);
        }
        catch (Exception e) when (IsResizeError(e))
        {
        }
    }

    public void Dispose()
    {
        _winch.Dispose();
        _changes.Writer.TryComplete();
    }

    private async Task FollowAsync()
    {
        await foreach (bool _ in _changes.Reader.ReadAllAsync())
            await TryResizeAsync();
    }

    private async Task RetryAsync()
    {
        for (int retry = 0; retry < 10; retry++)
        {
            await Task.Delay((retry + 1) * 10);
            if (await TryResizeAsync())
                return;
        }
        await _console.Err.WriteLineAsync("failed to resize tty, using default size");
    }

    private async Task<bool> TryResizeAsync()
    {
        var (height, width) = _console.TerminalSize();
        try
        {
            await ResizeToAsync(_client, _resource, height, width);
            return true;
        }
        catch (Exception e) when (IsResizeError(e))
        {
            return false;
        }
    }

    private static async Task ResizeToAsync(DaemonClient client, string resource, int height, int width)
    {
        if (height == 0 && width == 0)
            return;
        await client.PostAsync($"{resource}/resize{new QueryString().Set("h", height.ToString()).Set("w", width.ToString())}", CancellationToken.None);
    }

    private static bool IsResizeError(Exception e) => e is DaemonErrorException or DaemonUnavailableException or IOException or ObjectDisposedException;
}
