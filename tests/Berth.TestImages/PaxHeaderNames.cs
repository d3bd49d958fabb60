using System.Text;
using System.Text.RegularExpressions;

namespace Berth.TestImages;

/// <summary>
/// TarWriter names each PAX extended header "&lt;dir&gt;/PaxHeaders.&lt;process id&gt;/&lt;file&gt;" (as GNU tar does), which
/// would make every layer digest differ between runs. This rewrites those names to "PaxHeaders.0" (as Go's
/// archive/tar writes them) and fixes the header checksums. Readers ignore these names.
/// </summary>
internal static partial class PaxHeaderNames
{
    const int Block = 512;

    public static byte[] Normalize(byte[] tar)
    {
        for (var offset = 0; offset + Block <= tar.Length && tar[offset] != 0; offset += Block + Padded(Size(tar, offset)))
        {
            var type = (char)tar[offset + 156];
            if (type is 'x' or 'g')
                Rename(tar.AsSpan(offset, Block));
        }
        return tar;
    }

    static int Size(byte[] tar, int offset) =>
        Convert.ToInt32(Encoding.ASCII.GetString(tar, offset + 124, 12).Trim('\0', ' '), 8);

    static int Padded(int size) => (size + Block - 1) / Block * Block;

    static void Rename(Span<byte> header)
    {
        var name = Encoding.ASCII.GetString(header[..100]).TrimEnd('\0');
        var fixedName = ProcessId().Replace(name, "PaxHeaders.0");
        header[..100].Clear();
        Encoding.ASCII.GetBytes(fixedName, header[..100]);
        header.Slice(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in header)
            sum += b;
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ", header.Slice(148, 8));
    }

    [GeneratedRegex(@"PaxHeaders\.[0-9]+")]
    private static partial Regex ProcessId();
}
