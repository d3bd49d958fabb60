using System.Runtime.InteropServices;

namespace Berth.Init;

/// <summary>execve(2) with managed string lists; returns only on failure (errno in the last P/Invoke error).</summary>
public static unsafe partial class ExecVe
{
    [LibraryImport("libc", EntryPoint = "execve", SetLastError = true)]
    private static partial int execve(byte* path, byte** argv, byte** envp);

    public static int Run(string path, IReadOnlyList<string> args, IReadOnlyList<string> env)
    {
        byte** argv = ToNative(args);
        byte** envp = ToNative(env);
        byte* p = ToNative(path);
        return execve(p, argv, envp);
        // On failure the memory is left to the process, which is about to exit.
    }

    private static byte* ToNative(string s)
    {
        int length = System.Text.Encoding.UTF8.GetByteCount(s);
        var buffer = (byte*)NativeMemory.Alloc((nuint)length + 1);
        System.Text.Encoding.UTF8.GetBytes(s, new Span<byte>(buffer, length));
        buffer[length] = 0;
        return buffer;
    }

    private static byte** ToNative(IReadOnlyList<string> values)
    {
        var array = (byte**)NativeMemory.Alloc((nuint)values.Count + 1, (nuint)sizeof(byte*));
        for (int i = 0; i < values.Count; i++)
            array[i] = ToNative(values[i]);
        array[values.Count] = null;
        return array;
    }
}
