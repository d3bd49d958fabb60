using Berth.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Containers;

/// <summary>
/// Where input for a running container goes: the write end of its stdin pipe, or the master of its
/// terminal. Writes from several attached clients are serialised and run on a pool thread, which blocks
/// only while the container does not read, as a pipe does.
/// </summary>
internal sealed class ContainerStdin(SafeFileHandle fd, bool isTerminal) : IDisposable
{
    private const byte EndOfTransmission = 0x04; // ^D

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private bool _closed;

    public bool IsTerminal { get; } = isTerminal;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            // When the container has closed its stdin or exited, what it did not read is dropped, as in Docker.
            if (!_closed)
                await Task.Run(() => Sys.WriteAll(fd, data.Span), ct);
        }
        catch (Exception e) when (e is SyscallException or ObjectDisposedException)
        {
            // The run ended while we wrote.
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// The input ended: a pipe is closed, so the container reads end of file; a terminal gets ^D, because
    /// closing its master would hang up the container's terminal.
    /// </summary>
    public void Close()
    {
        _writeLock.Wait();
        try
        {
            if (_closed)
                return;
            _closed = true;
            if (IsTerminal)
                Sys.WriteAll(fd, [EndOfTransmission]);
            else
                fd.Dispose();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Releases the fd at the end of the run (the terminal's master is owned by the output reader).</summary>
    public void Dispose()
    {
        _closed = true;
        if (!IsTerminal)
            fd.Dispose();
    }
}
