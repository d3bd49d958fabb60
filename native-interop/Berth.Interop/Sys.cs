using System.Runtime.InteropServices;
using System.Text;

namespace Berth.Interop;

/// <summary>
/// Thin checked wrappers over system calls: each throws a <see cref="SyscallException"/> that names
/// the call and its arguments, and retries EINTR where the call can be interrupted.
/// One file of this partial class per subsystem.
/// </summary>
public static unsafe partial class Sys
{
    internal static void Check(int result, string operation)
    {
        if (result == -1)
            throw SyscallException.FromLastError(operation);
    }

    internal static int LastErrno => Marshal.GetLastPInvokeError();

    /// <summary>A NUL-terminated UTF-8 copy of <paramref name="s"/>, for calls that take byte*.</summary>
    internal static byte[] Utf8z(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }
}
