using Berth.Engine.Containers;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Berth.Engine.Tests.Containers;

public sealed class ContainerStoreTests
{
    private string _root = null!;

    [SetUp]
    public void CreateRoot() => _root = Path.Combine(Path.GetTempPath(), $"berth-store-{Guid.NewGuid():N}");

    [TearDown]
    public void DeleteRoot() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Record_and_state_round_trip()
    {
        var store = new ContainerStore(_root, NullLogger.Instance);
        var record = new ContainerRecord
        {
            Id = new string('a', 64),
            Name = "web",
            Created = new DateTime(2025, 5, 1, 0, 0, 0, DateTimeKind.Utc),
            ImageId = "sha256:" + new string('b', 64),
            Config = new ContainerConfig { Image = "busybox", Cmd = ["sleep", "1"], Env = ["A=1"], Labels = new() { ["k"] = "v" } },
            HostConfig = new HostConfig { Memory = 1 << 25, Binds = ["/a:/b:ro"], AutoRemove = true },
            Path = "sleep",
            Args = ["1"],
        };
        var state = new ContainerState { Status = ContainerStatus.Exited, ExitCode = 137, OOMKilled = true, StartedAt = DateTime.UtcNow, FinishedAt = DateTime.UtcNow };
        store.Create(record, state);

        var (loadedRecord, loadedState) = new ContainerStore(_root, NullLogger.Instance).LoadAll().Single();
        Assert.That(loadedRecord.Name, Is.EqualTo("web"));
        Assert.That(loadedRecord.Config.Cmd, Is.EqualTo(new[] { "sleep", "1" }));
        Assert.That(loadedRecord.Config.Labels, Is.EqualTo(new Dictionary<string, string> { ["k"] = "v" }));
        Assert.That(loadedRecord.HostConfig.Memory, Is.EqualTo(1 << 25));
        Assert.That(loadedRecord.HostConfig.AutoRemove, Is.True);
        Assert.That(loadedState.Status, Is.EqualTo(ContainerStatus.Exited));
        Assert.That(loadedState.ExitCode, Is.EqualTo(137));
        Assert.That(loadedState.OOMKilled, Is.True);
        Assert.That(loadedState.FinishedAt, Is.EqualTo(state.FinishedAt));
    }

    [Test]
    public void An_interrupted_create_and_a_corrupt_record_are_skipped()
    {
        Directory.CreateDirectory(Path.Combine(_root, "half-created"));
        Directory.CreateDirectory(Path.Combine(_root, "corrupt"));
        File.WriteAllText(Path.Combine(_root, "corrupt", ContainerStore.RecordFile), "{not json");
        Assert.That(new ContainerStore(_root, NullLogger.Instance).LoadAll(), Is.Empty);
    }

    [Test]
    public void State_replacement_leaves_no_temp_files()
    {
        var store = new ContainerStore(_root, NullLogger.Instance);
        var record = new ContainerRecord { Id = new string('c', 64), Name = "x" };
        store.Create(record, new ContainerState());
        for (int i = 0; i < 5; i++)
            store.SaveState(record.Id, new ContainerState { ExitCode = i });
        Assert.That(Directory.GetFiles(store.DirectoryOf(record.Id)).Select(Path.GetFileName), Is.EquivalentTo(new[] { "config.json", "state.json" }));
        Assert.That(store.LoadAll().Single().State.ExitCode, Is.EqualTo(4));
    }
}
