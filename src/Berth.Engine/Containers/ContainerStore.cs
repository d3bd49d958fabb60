using System.Text.Json;
using Berth.Interop;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

/// <summary>
/// Containers on disk: `containers/&lt;id&gt;/config.json` (the record) and `state.json` (the run state),
/// each replaced atomically, next to the overlay's upper/work/merged dirs and the json-file log.
/// </summary>
public sealed class ContainerStore(string root, ILogger logger)
{
    public const string RecordFile = "config.json";
    public const string StateFile = "state.json";

    public string Root { get; } = root;

    public string DirectoryOf(string id) => Path.Combine(Root, id);

    /// <summary>Where the container's log driver writes: json-file's `&lt;id&gt;-json.log`, local's `local-logs/container.log` (as moby).</summary>
    public string LogPathOf(ContainerRecord record) =>
        record.HostConfig.LogConfig?.Type == Logs.LogSettings.Local
            ? Path.Combine(Root, record.Id, "local-logs", "container.log")
            : Path.Combine(Root, record.Id, record.Id + "-json.log");

    public void Create(ContainerRecord record, ContainerState state)
    {
        Directory.CreateDirectory(DirectoryOf(record.Id));
        SaveState(record.Id, state);
        SaveRecord(record); // written last: a directory without config.json is a create that never finished
    }

    public void SaveRecord(ContainerRecord record) =>
        AtomicFile.WriteJson(Path.Combine(DirectoryOf(record.Id), RecordFile), record, ContainerJsonContext.Default.ContainerRecord);

    public void SaveState(string id, ContainerState state) =>
        AtomicFile.WriteJson(Path.Combine(DirectoryOf(id), StateFile), state, ContainerJsonContext.Default.ContainerState);

    public void Delete(string id)
    {
        string dir = DirectoryOf(id);
        if (Directory.Exists(dir))
            Directory.Delete(dir, recursive: true);
    }

    /// <summary>Every container found on disk. Directories with an unreadable record are left alone and logged.</summary>
    public IEnumerable<(ContainerRecord Record, ContainerState State)> LoadAll()
    {
        Directory.CreateDirectory(Root);
        foreach (string dir in Directory.EnumerateDirectories(Root))
        {
            if (!File.Exists(Path.Combine(dir, RecordFile)))
                continue;
            var loaded = TryLoad(dir);
            if (loaded is not null)
                yield return loaded.Value;
        }
    }

    /// <summary>The ids of container directories without a record: creates that a crash cut short (see <see cref="Create"/>).</summary>
    public IReadOnlyList<string> ListIncomplete()
    {
        Directory.CreateDirectory(Root);
        return Directory.EnumerateDirectories(Root)
            .Where(dir => ContainerNames.IsContainerId(Path.GetFileName(dir)) && !File.Exists(Path.Combine(dir, RecordFile)))
            .Select(dir => Path.GetFileName(dir))
            .ToList();
    }

    private (ContainerRecord, ContainerState)? TryLoad(string dir)
    {
        try
        {
            string recordPath = Path.Combine(dir, RecordFile);
            var record = JsonSerializer.Deserialize(File.ReadAllBytes(recordPath), ContainerJsonContext.Default.ContainerRecord)!;
            string statePath = Path.Combine(dir, StateFile);
            var state = File.Exists(statePath)
                ? JsonSerializer.Deserialize(File.ReadAllBytes(statePath), ContainerJsonContext.Default.ContainerState)!
                : new ContainerState();
            return (record, state);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            logger.LogError("Ignoring {Directory}: {Error}", dir, e.Message);
            return null;
        }
    }
}
