using System.Security.Cryptography;

namespace Berth.TestImages.Tests;

internal static class Hex
{
    public static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
