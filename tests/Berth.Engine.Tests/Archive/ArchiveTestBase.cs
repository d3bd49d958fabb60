using Berth.Interop;
using NUnit.Framework;

namespace Berth.Engine.Tests.Archive;

/// <summary>A fresh directory per test with a sentinel beside it that nothing may write to or read from.</summary>
public abstract class ArchiveTestBase
{
    protected string TempRoot { get; private set; } = "";

    protected string Target => Path.Combine(TempRoot, "target");

    protected string Sentinel => Path.Combine(TempRoot, "sentinel");

    [SetUp]
    public void CreateDirectories()
    {
        TempRoot = Path.Combine(Path.GetTempPath(), "berth-archive-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Target);
        Directory.CreateDirectory(Sentinel);
        File.WriteAllText(Path.Combine(Sentinel, "secret"), "secret\n");
    }

    [TearDown]
    public void DeleteDirectories() => Directory.Delete(TempRoot, recursive: true);

    protected string At(string path) => Path.Combine(Target, path);

    protected void AssertSentinelUntouched()
    {
        Assert.That(Directory.EnumerateFileSystemEntries(Sentinel).Select(Path.GetFileName), Is.EqualTo(new[] { "secret" }), "something was written outside the target");
        Assert.That(File.ReadAllText(Path.Combine(Sentinel, "secret")), Is.EqualTo("secret\n"));
    }

    protected static void RequireRoot(string why)
    {
        if (Sys.Geteuid() != 0)
            Assert.Ignore($"Needs root ({why}); CI runs as root.");
    }
}
