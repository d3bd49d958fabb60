using NUnit.Framework;

namespace Berth.Api.Tests.Infrastructure;

public static class RootRequirement
{
    /// <summary>Skips the test, saying why, unless it runs as root (berthd creates real containers, mounts and cgroups).</summary>
    public static void Check()
    {
        if (Environment.UserName != "root")
            Assert.Ignore("needs root: berthd creates real containers, mounts and cgroups (CI runs as root)");
    }
}
