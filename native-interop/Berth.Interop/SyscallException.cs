using System.Runtime.InteropServices;

namespace Berth.Interop;

/// <summary>A failed system call, named with its arguments the way crun reports them: "mount `/a` on `/b`: Permission denied".</summary>
public sealed class SyscallException : IOException
{
    public SyscallException(string operation, int errno)
        : base($"{operation}: {Marshal.GetPInvokeErrorMessage(errno)}", errno)
    {
        Errno = errno;
        Operation = operation;
    }

    public int Errno { get; }

    public string Operation { get; }

    /// <summary>Throws for the errno of the last P/Invoke made with SetLastError.</summary>
    public static SyscallException FromLastError(string operation) => new(operation, Marshal.GetLastPInvokeError());
}
