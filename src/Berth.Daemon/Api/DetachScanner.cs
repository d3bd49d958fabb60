using System.Buffers;

namespace Berth.Daemon.Api;

/// <summary>
/// moby's copyEscapable on the daemon's side of a TTY attach: the client's input goes to the container except the
/// detach sequence (Ctrl-P Ctrl-Q unless the client's <c>detachKeys</c> say otherwise). Keys that begin the sequence
/// are held back; if the next key breaks it they go out after all, as moby/term's escape proxy does. The docker
/// and berth CLIs watch for the keys themselves; this serves clients that leave it to the daemon (docker-py's
/// attach_socket, raw API users).
/// </summary>
internal sealed class DetachScanner(byte[] keys)
{
    private int _matched;

    /// <summary>
    /// Appends to <paramref name="forward"/> what of <paramref name="input"/> goes to the container; true when the
    /// whole sequence has been read (what came before it in <paramref name="input"/> is forwarded, nothing after).
    /// </summary>
    public bool Scan(ReadOnlySpan<byte> input, ArrayBufferWriter<byte> forward)
    {
        if (keys.Length == 0)
        {
            forward.Write(input);
            return false;
        }
        int run = 0; // start of the bytes not yet forwarded and not held back
        for (int i = 0; i < input.Length; i++)
        {
            if (input[i] == keys[_matched])
            {
                if (_matched == 0)
                    forward.Write(input[run..i]);
                run = i + 1;
                if (++_matched == keys.Length)
                {
                    _matched = 0;
                    return true;
                }
            }
            else if (_matched > 0)
            {
                // The sequence is broken: the keys held back go out, and this byte is looked at again from the start.
                forward.Write(keys.AsSpan(0, _matched));
                _matched = 0;
                run = i;
                i--;
            }
        }
        if (_matched == 0)
            forward.Write(input[run..]);
        return false;
    }

    /// <summary>
    /// Copies a client's input to <paramref name="write"/> until its end (true) or, through <paramref name="tty"/>
    /// when there is one, until the detach keys (false; nothing after them is written).
    /// </summary>
    public static async Task<bool> CopyAsync(Stream input, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write, DetachScanner? tty, CancellationToken ct)
    {
        var buffer = new byte[32 * 1024];
        var forward = new ArrayBufferWriter<byte>(buffer.Length);
        int read;
        while ((read = await input.ReadAsync(buffer, ct)) > 0)
        {
            if (tty is null)
            {
                await write(buffer.AsMemory(0, read), ct);
                continue;
            }
            forward.ResetWrittenCount();
            bool detach = tty.Scan(buffer.AsSpan(0, read), forward);
            await write(forward.WrittenMemory, ct);
            if (detach)
                return false;
        }
        return true;
    }
}
