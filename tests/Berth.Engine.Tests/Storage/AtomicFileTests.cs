using System.Text;
using Berth.Engine.Images;
using Berth.Interop;
using NUnit.Framework;

namespace Berth.Engine.Tests.Storage;

public sealed class AtomicFileTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "berth-atomic-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void WritesAndReplacesWithoutLeavingTemporaries()
    {
        string path = Path.Combine(_directory, "state.json");
        AtomicFile.Write(path, "first"u8);
        Assert.That(File.ReadAllText(path), Is.EqualTo("first"));
        AtomicFile.Write(path, "second, longer"u8);
        Assert.That(File.ReadAllText(path), Is.EqualTo("second, longer"));
        AtomicFile.Write(path, ""u8);
        Assert.That(File.ReadAllBytes(path), Is.Empty);
        Assert.That(Directory.GetFiles(_directory).Select(Path.GetFileName), Is.EqualTo(new[] { "state.json" }));
    }

    [Test]
    public void WritesJsonWithSourceGeneratedMetadata()
    {
        string path = Path.Combine(_directory, "layer.json");
        AtomicFile.WriteJson(path, new LayerRecord { ChainId = "sha256:c", DiffId = "sha256:d", Size = 5 }, ImageJsonContext.Default.LayerRecord);
        Assert.That(File.ReadAllText(path), Is.EqualTo("""{"chainId":"sha256:c","diffId":"sha256:d","size":5}"""));
    }

    [Test]
    public void FailureLeavesTheOldFileAndNoTemporary()
    {
        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.Write(Path.Combine(_directory, "missing", "f"), "x"u8));
        string path = Path.Combine(_directory, "dir-in-the-way");
        Directory.CreateDirectory(Path.Combine(path, "child"));
        Assert.Throws<Berth.Interop.SyscallException>(() => AtomicFile.Write(path, "x"u8));
        Assert.That(Directory.GetFiles(_directory), Is.Empty, "the temp file was removed");
    }

    [Test]
    public async Task ReadersSeeOneVersionOrTheOther()
    {
        string path = Path.Combine(_directory, "big");
        byte[] a = Encoding.ASCII.GetBytes(new string('a', 1 << 18));
        byte[] b = Encoding.ASCII.GetBytes(new string('b', 1 << 17));
        AtomicFile.Write(path, a);
        var writer = Task.Run(() =>
        {
            for (int i = 0; i < 20; i++)
                AtomicFile.Write(path, i % 2 == 0 ? b : a);
        });
        while (!writer.IsCompleted)
        {
            byte[] seen = File.ReadAllBytes(path);
            Assert.That(seen.SequenceEqual(a) || seen.SequenceEqual(b), Is.True, "a torn read");
        }
        await writer;
    }
}
