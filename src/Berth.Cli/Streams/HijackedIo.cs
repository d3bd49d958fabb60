using Berth.Api;
using Berth.Cli.CommandLine;
using Berth.Http;

namespace Berth.Cli.Streams;

/// <summary>
/// docker/cli's hijackedIOStreamer: the container's output is copied from the hijacked connection to stdout and
/// stderr (stdcopy-demultiplexed, raw for a TTY) until the daemon closes it; stdin, when attached, is copied to the
/// connection and its end (or, without stdin, the start) is sent as a half-close so that the daemon sees EOF.
/// With a TTY and stdin, the local terminal is put in raw mode for the session (restored as soon as the output or
/// the input ends) and stdin passes through the detach keys: typing them ends the session as
/// <see cref="HijackEnd.Detached"/>, without a half-close.
/// </summary>
internal sealed class HijackedIo
{
    private readonly HijackedStream _connection;
    private readonly CancellationTokenSource _stop;
    private readonly RawTerminal? _terminal;

    private HijackedIo(HijackedStream connection, CancellationTokenSource stop, RawTerminal? terminal)
    {
        _connection = connection;
        _stop = stop;
        _terminal = terminal;
    }

    /// <summary>
    /// Ends as docker's stream() does: when the output ends (the daemon closed the stream), when stdin ends and no
    /// output is attached, or when the detach keys were typed. Faults with a stream error.
    /// </summary>
    public Task<HijackEnd> Completion { get; private set; } = null!;

    /// <summary>Whether the session put the local terminal in raw mode.</summary>
    public bool IsRaw => _terminal is not null;

    /// <param name="enterRawMode">For a TTY session with stdin: puts the local terminal in raw mode (null when it is not a terminal).</param>
    public static HijackedIo Start(HijackedStream connection, Stream? stdin, Stream stdout, Stream stderr, bool tty,
        string? detachKeys = null, Func<RawTerminal?>? enterRawMode = null)
    {
        RawTerminal? terminal = null;
        if (stdin is not null && tty)
        {
            terminal = enterRawMode?.Invoke();
            stdin = new EscapeProxyStream(stdin, DetachKeys.OrDefault(detachKeys));
        }
        var io = new HijackedIo(connection, new CancellationTokenSource(), terminal);
        var output = io.CopyOutputAsync(stdout, stderr, tty);
        var input = stdin is null ? Task.FromResult(HijackEnd.Finished) : io.CopyInputAsync(stdin);
        if (stdin is null)
            CloseWrite(connection);
        io.Completion = WhenEndedAsync(output, input);
        return io;
    }

    /// <summary>Stops copying, closes the connection and restores the terminal (start failed, detached, or output is not attached).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        _connection.Dispose();
        _terminal?.Dispose();
        try
        {
            await Completion;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidDataException)
        {
        }
    }

    /// <summary>
    /// Waits for the session to end as <c>attach</c> and <c>exec</c> report it: a stream error or a closed stdout
    /// (docker's "broken pipe" words) and detaching are <see cref="CliException"/>s with status 1.
    /// </summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        HijackEnd end;
        try
        {
            end = await Completion.WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new CliException(1, Output.CliConsole.IsBrokenPipe(e) ? "write /dev/stdout: broken pipe" : e.Message, e);
        }
        if (end == HijackEnd.Detached)
            throw new CliException(1, new DetachedException().Message);
    }

    /// <summary>Restores the terminal and closes the connection; the session is over.</summary>
    public void Close()
    {
        _terminal?.Dispose();
        _connection.Dispose();
    }

    private static async Task<HijackEnd> WhenEndedAsync(Task output, Task<HijackEnd> input)
    {
        var first = await Task.WhenAny(output, input);
        if (first == input && await input == HijackEnd.Detached)
            return HijackEnd.Detached;
        await output;
        return HijackEnd.Finished;
    }

    private async Task CopyOutputAsync(Stream stdout, Stream stderr, bool tty)
    {
        await Task.Yield();
        try
        {
            if (tty)
                await _connection.CopyToAsync(stdout, _stop.Token);
            else
                await StdCopy.DemultiplexAsync(_connection, stdout, stderr, _stop.Token);
            await stdout.FlushAsync(_stop.Token);
        }
        finally
        {
            _terminal?.Restore();
        }
    }

    /// <summary>
    /// Copies stdin on a thread of its own (reading a terminal or pipe blocks), then half-closes; typing the detach
    /// keys ends it without the half-close.
    /// </summary>
    private Task<HijackEnd> CopyInputAsync(Stream stdin) =>
        Task.Factory.StartNew(() =>
        {
            byte[] buffer = new byte[32 * 1024];
            try
            {
                int read;
                while (!_stop.IsCancellationRequested && (read = stdin.Read(buffer, 0, buffer.Length)) > 0)
                    _connection.Write(buffer, 0, read);
            }
            catch (DetachedException)
            {
                _terminal?.Restore();
                return HijackEnd.Detached;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException)
            {
                // The stream ended on the daemon's side; its output copy reports what matters.
            }
            _terminal?.Restore();
            CloseWrite(_connection);
            return HijackEnd.Finished;
        }, _stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);

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
