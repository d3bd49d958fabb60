using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Containers;

/// <summary>
/// The write end of a running container's stdin pipe. Writes from several attached clients are
/// serialised; a write blocks (on a pool thread) only while the container does not read, as a pipe does.
/// </summary>
internal sealed class ContainerStdin(SafeFileHandle pipe) : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly FileStream _stream = new(pipe, FileAccess.Write, bufferSize: 0);
    private bool _closed;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            if (_closed)
                return;
            // FileStream on a pipe writes synchronously; keep the caller's thread free.
            await Task.Run(() => _stream.Write(data.Span), ct);
        }
        catch (IOException)
        {
            // The container closed its stdin or exited (EPIPE): what it does not read is dropped, as in Docker.
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Closes the pipe: the container reads end of file once it has read what was written.</summary>
    public void Close()
    {
        _writeLock.Wait();
        try
        {
            if (_closed)
                return;
            _closed = true;
            _stream.Dispose();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Dispose() => Close();
}
