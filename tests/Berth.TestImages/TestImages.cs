namespace Berth.TestImages;

/// <summary>
/// The project's own offline test images, built from Debian's busybox-static into a cache directory.
/// Safe to call from many threads and many test processes at once; fast once the cache is built.
/// </summary>
public static class TestImages
{
    internal const string PathEnv = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    static readonly Lock Gate = new();
    static TestImageSet? verified;

    /// <summary>$BERTH_TEST_IMAGES if set, else &lt;repo root&gt;/.fixtures/images (repo root: nearest ancestor of the app holding Runtime.sln).</summary>
    public static string CacheDirectory =>
        Environment.GetEnvironmentVariable("BERTH_TEST_IMAGES") is { Length: > 0 } dir
            ? Path.GetFullPath(dir)
            : Path.Combine(RepositoryRoot(), ".fixtures", "images");

    /// <summary>Builds every fixture that is missing or does not match its stamp, then returns the paths.</summary>
    public static TestImageSet Ensure()
    {
        lock (Gate)
        {
            if (verified is not null && AllExist(verified))
                return verified;
            verified = null;
            var set = TestImageSet.In(CacheDirectory);
            Directory.CreateDirectory(CacheDirectory);
            using (FixtureLock.Acquire(Path.Combine(CacheDirectory, ".lock")))
            {
                if (!FixtureStamp.IsValid(set))
                    Build(set);
            }
            verified = set;
            return set;
        }
    }

    /// <summary>Rebuilds the cache even if it looks valid (the .deb is kept).</summary>
    internal static TestImageSet Rebuild()
    {
        lock (Gate)
        {
            verified = null;
            var set = TestImageSet.In(CacheDirectory);
            Directory.CreateDirectory(CacheDirectory);
            using (FixtureLock.Acquire(Path.Combine(CacheDirectory, ".lock")))
                Build(set);
            verified = set;
            return set;
        }
    }

    static void Build(TestImageSet set)
    {
        File.Delete(FixtureStamp.PathIn(set));
        BusyboxDeb.Ensure(set.BusyboxDebPath);
        FixtureBuilder.Build(set);
        FixtureStamp.Write(set);
    }

    static bool AllExist(TestImageSet set) =>
        set.Archives().Append(set.BusyboxDebPath).All(File.Exists) && Directory.Exists(set.RootfsDirectory);

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Runtime.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException(
            $"no Runtime.sln above {AppContext.BaseDirectory}: set BERTH_TEST_IMAGES to the directory for the test images");
    }
}
