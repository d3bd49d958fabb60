using System.Text;

namespace Berth.Interop;

public static unsafe partial class Sys
{
    /// <summary>Every extended attribute of <paramref name="path"/> itself (never a symlink's target), whatever its size; empty where the filesystem has none.</summary>
    public static List<(string Name, byte[] Value)> ReadXattrs(string path)
    {
        var result = new List<(string, byte[])>();
        byte[] names = ReadSized(size =>
        {
            fixed (byte* b = size)
                return Libc.llistxattr(path, b, (nuint)size.Length);
        }, $"llistxattr `{path}`", () => Libc.llistxattr(path, null, 0));
        foreach (string name in Encoding.UTF8.GetString(names).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            byte[] value = ReadSized(buffer =>
            {
                fixed (byte* b = buffer)
                    return Libc.lgetxattr(path, name, b, (nuint)buffer.Length);
            }, $"lgetxattr `{name}` of `{path}`", () => Libc.lgetxattr(path, name, null, 0));
            result.Add((name, value));
        }
        return result;
    }

    /// <summary>The xattr calls' size dance: ask the size, read, and ask again if it grew meanwhile (ERANGE).</summary>
    private static byte[] ReadSized(Func<byte[], nint> read, string operation, Func<nint> size)
    {
        while (true)
        {
            nint needed = size();
            if (needed < 0)
                return LastErrno is Errno.EOPNOTSUPP or Errno.ENODATA ? [] : throw SyscallException.FromLastError(operation);
            var buffer = new byte[needed];
            nint n = needed == 0 ? 0 : read(buffer);
            if (n >= 0)
                return buffer.AsSpan(0, (int)n).ToArray();
            if (LastErrno != Errno.ERANGE)
                throw SyscallException.FromLastError(operation);
        }
    }
}
