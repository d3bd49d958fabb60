using System.Security.Cryptography;

namespace Berth.TestImages;

internal static class Sha256Hex
{
    public static string Of(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
