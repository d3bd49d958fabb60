using System.Runtime.InteropServices;

namespace Berth.Network.Nftables;

/// <summary>
/// One libnftables context. Its nfnetlink socket belongs to the network namespace of the thread that created the
/// context. A command buffer is one transaction: every line applies or none does.
/// </summary>
public sealed class NftContext : IDisposable
{
    private readonly Lock _lock = new();
    private nint _ctx;

    public NftContext()
    {
        try
        {
            _ctx = LibNftables.nft_ctx_new(0);
        }
        catch (DllNotFoundException e)
        {
            throw new NftablesException($"libnftables.so.1 is not installed (Debian package libnftables1): {e.Message}");
        }
        if (_ctx == 0)
            throw new NftablesException("nft_ctx_new failed");
        if (LibNftables.nft_ctx_buffer_output(_ctx) != 0 || LibNftables.nft_ctx_buffer_error(_ctx) != 0)
            throw new NftablesException("nft_ctx_buffer_output/error failed");
    }

    /// <summary>Runs <paramref name="commands"/> as one transaction and returns what nft printed (for list commands).</summary>
    public string Run(string commands)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_ctx == 0, this);
            int result = LibNftables.nft_run_cmd_from_buffer(_ctx, commands);
            string output = Marshal.PtrToStringUTF8(LibNftables.nft_ctx_get_output_buffer(_ctx)) ?? "";
            string error = Marshal.PtrToStringUTF8(LibNftables.nft_ctx_get_error_buffer(_ctx)) ?? "";
            if (result != 0)
                throw new NftablesException($"nftables: {error.Trim()}");
            return output;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_ctx != 0)
                LibNftables.nft_ctx_free(_ctx);
            _ctx = 0;
        }
    }
}
