using NUnit.Framework;

namespace Berth.Integration.Tests.Infrastructure;

public static class RootRequirement
{
    /// <summary>Skips the test, saying why, unless it runs as root (CI does).</summary>
    public static void Check()
    {
        if (Environment.UserName != "root")
            Assert.Ignore("needs root: creates real containers, mounts and cgroups (CI runs as root)");
    }
}
