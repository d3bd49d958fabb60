using System.Runtime.InteropServices;

namespace Berth.Network.Nftables;

/// <summary>
/// libnftables (Debian `libnftables1`), the library `nft` itself is a thin front end of: a ruleset text in, one
/// nfnetlink transaction out, in-process. A port added this way costs 0.07 ms; an `nft` exec pays about 16 ms
/// (host-facts.md). Bound lazily by name, so a daemon without the library still starts and says what is missing.
/// </summary>
internal static partial class LibNftables
{
    private const string Name = "libnftables.so.1";

    [LibraryImport(Name, EntryPoint = "nft_ctx_new")]
    public static partial nint nft_ctx_new(uint flags);

    [LibraryImport(Name, EntryPoint = "nft_ctx_free")]
    public static partial void nft_ctx_free(nint ctx);

    [LibraryImport(Name, EntryPoint = "nft_ctx_buffer_output")]
    public static partial int nft_ctx_buffer_output(nint ctx);

    [LibraryImport(Name, EntryPoint = "nft_ctx_buffer_error")]
    public static partial int nft_ctx_buffer_error(nint ctx);

    [LibraryImport(Name, EntryPoint = "nft_ctx_get_output_buffer")]
    public static partial nint nft_ctx_get_output_buffer(nint ctx);

    [LibraryImport(Name, EntryPoint = "nft_ctx_get_error_buffer")]
    public static partial nint nft_ctx_get_error_buffer(nint ctx);

    [LibraryImport(Name, EntryPoint = "nft_run_cmd_from_buffer", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int nft_run_cmd_from_buffer(nint ctx, string buffer);
}
