using Berth.Engine.Images;
using Berth.Interop;
using NUnit.Framework;

namespace Berth.Engine.Tests.Images;

/// <summary>
/// A fresh store root per test, with a sentinel directory beside it: extraction must never write
/// there, and malicious layers aim their symlinks and hardlinks at it.
/// </summary>
public abstract class StoreTestBase
{
    protected string TempRoot { get; private set; } = "";

    protected string StoreRoot => Path.Combine(TempRoot, "store");

    protected string Sentinel => Path.Combine(TempRoot, "sentinel");

    /// <summary>From a layer's diff dir (store/layers/.tmp-x/diff) up to the temp root and into the sentinel.</summary>
    protected const string RelativeSentinel = "../../../../sentinel";

    [SetUp]
    public void CreateDirectories()
    {
        TempRoot = Path.Combine(Path.GetTempPath(), "berth-images-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(StoreRoot);
        Directory.CreateDirectory(Sentinel);
    }

    [TearDown]
    public void DeleteDirectories()
    {
        if (!Directory.Exists(TempRoot))
            return;
        if (Sys.Geteuid() != 0)
            MakeDirectoriesWritable(TempRoot);
        Directory.Delete(TempRoot, recursive: true);
    }

    /// <summary>Without root, a read-only directory a test unpacked cannot be emptied until it is writable again.</summary>
    private static void MakeDirectoriesWritable(string root)
    {
        Sys.Chmod(root, 0x1C0);
        foreach (string directory in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories))
            Sys.Chmod(directory, 0x1C0);
    }

    protected ImageStore OpenStore() => new(StoreRoot);

    protected static Task<IReadOnlyList<Image>> Load(ImageStore store, byte[] archive) => store.LoadAsync(new ChunkedStream(archive));

    protected static void RequireRoot(string why)
    {
        if (Sys.Geteuid() != 0)
            Assert.Ignore($"Needs root ({why}); CI runs as root.");
    }

    protected void AssertSentinelEmpty() =>
        Assert.That(Directory.EnumerateFileSystemEntries(Sentinel), Is.Empty, "something was written outside the store");

    /// <summary>Every path under the store (with file sizes) plus repositories.json: equal snapshots mean nothing changed.</summary>
    protected List<string> Snapshot()
    {
        var entries = Directory.EnumerateFileSystemEntries(StoreRoot, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(path => Path.GetRelativePath(StoreRoot, path) + (File.Exists(path) ? $" {new FileInfo(path).Length}" : "/"))
            .Order(StringComparer.Ordinal)
            .ToList();
        string repositories = Path.Combine(StoreRoot, "repositories.json");
        entries.Add(File.Exists(repositories) ? File.ReadAllText(repositories) : "(no repositories.json)");
        return entries;
    }

    protected string[] LayerDirectories() =>
        Directory.GetDirectories(Path.Combine(StoreRoot, "layers")).Select(Path.GetFileName).OfType<string>().ToArray();
}
