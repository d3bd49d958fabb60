namespace Berth.TestImages.Tests;

/// <summary>
/// Builds a second cache in a temporary directory with two processes at once (the lock file keeps them from
/// racing), then checks it is byte-identical to the shared cache and repairs a corrupted archive.
/// </summary>
public sealed class ReproducibilityTests
{
    string directory = "";

    [SetUp]
    public void CreateDirectory() => directory = Directory.CreateTempSubdirectory("berth-test-images-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [Test]
    public void EnsureTwiceReturnsTheSameFiles()
    {
        var first = TestImages.Ensure();
        var bytes = Archives(first).Select(File.ReadAllBytes).ToList();
        var second = TestImages.Ensure();
        Assert.That(second, Is.EqualTo(first));
        Assert.That(Archives(second).Select(File.ReadAllBytes), Is.EqualTo(bytes));
    }

    [Test]
    public void ParallelProcessesBuildTheSameBytes()
    {
        var cached = TestImages.Ensure();
        File.Copy(cached.BusyboxDebPath, Path.Combine(directory, Path.GetFileName(cached.BusyboxDebPath)));
        var builders = new[] { StartBuilder(), StartBuilder() };
        foreach (var builder in builders)
            Finish(builder);

        var rebuilt = SameNamesIn(directory, cached);
        foreach (var (mine, shared) in Archives(rebuilt).Zip(Archives(cached)))
            Assert.That(File.ReadAllBytes(mine), Is.EqualTo(File.ReadAllBytes(shared)), Path.GetFileName(mine));
    }

    [Test]
    public void CorruptArchiveIsRebuilt()
    {
        var cached = TestImages.Ensure();
        File.Copy(cached.BusyboxDebPath, Path.Combine(directory, Path.GetFileName(cached.BusyboxDebPath)));
        Finish(StartBuilder());
        var rebuilt = SameNamesIn(directory, cached);
        File.WriteAllBytes(rebuilt.BusyboxOciArchive, [1, 2, 3]);
        File.Delete(Path.Combine(rebuilt.RootfsDirectory, "etc/passwd"));

        Finish(StartBuilder());
        Assert.That(File.ReadAllBytes(rebuilt.BusyboxOciArchive), Is.EqualTo(File.ReadAllBytes(cached.BusyboxOciArchive)));
        Assert.That(Path.Combine(rebuilt.RootfsDirectory, "etc/passwd"), Does.Exist);
    }

    static IEnumerable<string> Archives(TestImageSet set) =>
        [set.BusyboxDockerArchive, set.BusyboxLegacyArchive, set.BusyboxOciArchive, set.BusyboxZstdOciArchive, set.LayeredDockerArchive];

    /// <summary>The same file names as the shared cache, in another directory.</summary>
    static TestImageSet SameNamesIn(string directory, TestImageSet cached)
    {
        string In(string path) => Path.Combine(directory, Path.GetFileName(path));
        return new TestImageSet(In(cached.BusyboxDockerArchive), In(cached.BusyboxLegacyArchive), In(cached.BusyboxOciArchive),
            In(cached.BusyboxZstdOciArchive), In(cached.LayeredDockerArchive), In(cached.RootfsDirectory), In(cached.BusyboxDebPath));
    }

    System.Diagnostics.Process StartBuilder()
    {
        var info = new System.Diagnostics.ProcessStartInfo(Tool.Dotnet) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(typeof(TestImages).Assembly.Location);
        info.Environment["BERTH_TEST_IMAGES"] = directory;
        return System.Diagnostics.Process.Start(info)!;
    }

    static void Finish(System.Diagnostics.Process builder)
    {
        using (builder)
        {
            var stderr = builder.StandardError.ReadToEndAsync();
            var stdout = builder.StandardOutput.ReadToEnd();
            builder.WaitForExit();
            Assert.That(builder.ExitCode, Is.Zero, stdout + stderr.Result);
        }
    }
}
