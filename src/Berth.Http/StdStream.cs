namespace Berth.Http;

/// <summary>The stream byte of a stdcopy frame header (moby pkg/stdcopy).</summary>
public enum StdStream : byte
{
    /// <summary>stdin; a demultiplexer writes it to stdout.</summary>
    Stdin = 0,
    Stdout = 1,
    Stderr = 2,

    /// <summary>An error from the daemon; the client fails with "error from daemon in stream: payload".</summary>
    Systemerr = 3,
}
