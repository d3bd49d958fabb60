using System.Text;

namespace Berth.Engine.Images;

/// <summary>
/// ChainIDs name a layer together with everything below it (OCI image-spec config.md):
/// ChainID(L0) = DiffID(L0); ChainID(L0..n) = sha256(ChainID(L0..n-1) + " " + DiffID(Ln)).
/// </summary>
internal static class ChainId
{
    public static IReadOnlyList<string> Compute(IReadOnlyList<string> diffIds)
    {
        var chainIds = new string[diffIds.Count];
        for (int i = 0; i < diffIds.Count; i++)
            chainIds[i] = i == 0 ? diffIds[0] : Digest.Of(Encoding.ASCII.GetBytes(chainIds[i - 1] + " " + diffIds[i]));
        return chainIds;
    }
}
