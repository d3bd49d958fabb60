using System.Runtime.InteropServices;

namespace Berth.Network.Netlink;

/// <summary>
/// A netlink request the kernel refused, named the way `ip` would say it, with the errno's symbol and the kernel's
/// extended-ack text when it sent one: "RTM_NEWLINK veth `veth1a2b3c4`: File exists (EEXIST)".
/// </summary>
public sealed class NetlinkException : IOException
{
    public NetlinkException(string operation, int errno, string? kernelMessage = null)
        : base(Format(operation, errno, kernelMessage), errno)
    {
        Operation = operation;
        Errno = errno;
    }

    public string Operation { get; }

    public int Errno { get; }

    private static string Format(string operation, int errno, string? kernelMessage) =>
        $"{operation}: {Marshal.GetPInvokeErrorMessage(errno)} ({ErrnoNames.Name(errno)})"
        + (string.IsNullOrEmpty(kernelMessage) ? "" : $": {kernelMessage}");
}
