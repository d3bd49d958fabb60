namespace Berth.Engine.Images;

/// <summary>Recognises layer blobs by magic bytes: gzip 1F 8B, zstd 28 B5 2F FD, or a tar header.</summary>
internal static class LayerSniffer
{
    /// <summary>How many leading bytes <see cref="Detect"/> wants to see.</summary>
    public const int HeadSize = 512;

    public static LayerFormat? Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 2 && head[0] == 0x1F && head[1] == 0x8B)
            return LayerFormat.Gzip;
        if (head.Length >= 4 && head[0] == 0x28 && head[1] == 0xB5 && head[2] == 0x2F && head[3] == 0xFD)
            return LayerFormat.Zstd;
        return IsTarHeader(head) ? LayerFormat.Tar : null;
    }

    /// <summary>
    /// A tar starts with a 512-byte header: "ustar" at offset 257 (POSIX and GNU), or a valid header
    /// checksum (old v7 tars), or a zero block (an empty layer is just the end-of-archive marker).
    /// </summary>
    public static bool IsTarHeader(ReadOnlySpan<byte> head)
    {
        if (head.Length < HeadSize)
            return false;
        if (head.Slice(257, 5).SequenceEqual("ustar"u8))
            return true;
        return !head[..HeadSize].ContainsAnyExcept((byte)0) || HasValidChecksum(head[..HeadSize]);
    }

    /// <summary>The checksum field (offset 148, 8 bytes of octal) is the byte sum of the header with that field read as spaces.</summary>
    private static bool HasValidChecksum(ReadOnlySpan<byte> header)
    {
        ReadOnlySpan<byte> field = header.Slice(148, 8);
        int i = 0;
        while (i < field.Length && field[i] == ' ')
            i++;
        long stored = 0;
        int digits = 0;
        for (; i < field.Length && field[i] is >= (byte)'0' and <= (byte)'7'; i++, digits++)
            stored = stored * 8 + (field[i] - '0');
        while (i < field.Length && field[i] is 0 or (byte)' ')
            i++;
        if (i != field.Length || digits == 0)
            return false;
        long sum = 0;
        for (int j = 0; j < header.Length; j++)
            sum += j is >= 148 and < 156 ? ' ' : header[j];
        return sum == stored;
    }
}
