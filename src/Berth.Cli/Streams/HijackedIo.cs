using Berth.Http;

namespace Berth.Cli.Streams;

/// <summary>
/// docker/cli's hijackedIOStreamer for a non-detached attach: the container's output is copied from the
/// hijacked connection to stdout and stderr (stdcopy-demultiplexed, raw for a TTY) until the daemon closes it;
/// stdin, when attached, is copied to the connection, and its end (or, without stdin, the start) is sent as a
/// half-close so that the daemon sees EOF.
/// </summary>
internal sealed class HijackedIo
{
    private readonly HijackedStream _connection;
    private readonly CancellationTokenSource _stop;

    private HijackedIo(HijackedStream connection, CancellationTokenSource stop, Task completion)
    {
        _connection = connection;
        _stop = stop;
        Completion = completion;
    }

    /// <summary>Ends when all output has been copied (the daemon closed the stream); faults with a stream error.</summary>
    public Task Completion { get; }

    public static HijackedIo Start(HijackedStream connection, Stream? stdin, Stream stdout, Stream stderr, bool tty)
    {
        var stop = new CancellationTokenSource();
        var output = CopyOutputAsync(connection, stdout, stderr, tty, stop.Token);
        if (stdin is null)
            CloseWrite(connection);
        else
            _ = CopyInputAsync(connection, stdin, stop.Token);
        return new HijackedIo(connection, stop, output);
    }

    /// <summary>Stops copying and closes the connection (start failed, or output is not attached).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        _connection.Dispose();
        try
        {
            await Completion;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidDataException)
        {
        }
    }

    private static async Task CopyOutputAsync(HijackedStream connection, Stream stdout, Stream stderr, bool tty, CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (tty)
            await connection.CopyToAsync(stdout, cancellationToken);
        else
            await StdCopy.DemultiplexAsync(connection, stdout, stderr, cancellationToken);
        await stdout.FlushAsync(cancellationToken);
    }

    /// <summary>Copies stdin on a thread of its own (reading a terminal or pipe blocks), then half-closes.</summary>
    private static Task CopyInputAsync(HijackedStream connection, Stream stdin, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(async () =>
        {
            byte[] buffer = new byte[32 * 1024];
            try
            {
                int read;
                while (!cancellationToken.IsCancellationRequested && (read = await stdin.ReadAsync(buffer, cancellationToken)) > 0)
                    await connection.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException)
            {
                // The stream ended on the daemon's side; its output copy reports what matters.
            }
            CloseWrite(connection);
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private static void CloseWrite(HijackedStream connection)
    {
        try
        {
            connection.CloseWrite();
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
        {
        }
    }
}
