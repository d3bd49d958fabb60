using Berth.Interop;
using System.Text.Json;

namespace Berth.Network;

/// <summary>
/// networks/&lt;id&gt;.json under the data root, one file per network, each replaced atomically; a crash leaves
/// either the old or the new record, and stray temp files are removed on open.
/// Two kinds of change, two kinds of write. A network's definition and the endpoints the API asks for are written
/// durably (<see cref="Save"/>). The endpoints a container's start and exit add and remove (<see cref="SaveRuntime"/>)
/// only need to outlive berthd (kill -9, a restart with live restore), not the host: after a reboot no container
/// runs and recovery drops their endpoints. Those go to &lt;id&gt;.run.json without the two fsyncs, which were
/// 3-17 ms of every start's network step on the loaded 2-core host (strace, 2026-12-06). Each write carries the
/// record's <see cref="NetworkRecord.Generation"/>; loading takes the newer of the two files, and a run file that a
/// power loss left empty or torn is ignored (the durable file has the definition, and its stale endpoints are
/// dropped by recovery like any endpoint of a container that no longer runs).
/// </summary>
public sealed class NetworkStore
{
    private const string RuntimeSuffix = ".run.json";
    private readonly string _directory;

    public NetworkStore(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        foreach (string temp in Directory.EnumerateFiles(directory, AtomicFile.TempPrefix + "*"))
            File.Delete(temp);
    }

    public IReadOnlyList<NetworkRecord> LoadAll()
    {
        var records = new List<NetworkRecord>();
        foreach (string path in Directory.EnumerateFiles(_directory, "*.json"))
        {
            if (path.EndsWith(RuntimeSuffix, StringComparison.Ordinal))
                continue;
            NetworkRecord record;
            using (var stream = File.OpenRead(path))
                record = JsonSerializer.Deserialize(stream, NetworkJsonContext.Default.NetworkRecord)
                    ?? throw new InvalidDataException($"{path}: empty network record");
            if (TryLoadRuntime(RuntimePath(record.Id)) is { } runtime && runtime.Id == record.Id && runtime.Generation > record.Generation)
                record = runtime;
            records.Add(record);
        }
        return records;
    }

    /// <summary>Writes the whole record durably (a definition or an API change).</summary>
    public void Save(NetworkRecord record)
    {
        record.Generation++;
        AtomicFile.WriteJson(Path.Combine(_directory, record.Id + ".json"), record, NetworkJsonContext.Default.NetworkRecord);
    }

    /// <summary>Writes the whole record for a change of running containers' endpoints only (see the type's summary).</summary>
    public void SaveRuntime(NetworkRecord record)
    {
        record.Generation++;
        AtomicFile.WriteJson(RuntimePath(record.Id), record, NetworkJsonContext.Default.NetworkRecord, durable: false);
    }

    public void Delete(string id)
    {
        File.Delete(RuntimePath(id));
        File.Delete(Path.Combine(_directory, id + ".json"));
    }

    private string RuntimePath(string id) => Path.Combine(_directory, id + RuntimeSuffix);

    private static NetworkRecord? TryLoadRuntime(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, NetworkJsonContext.Default.NetworkRecord);
        }
        catch (Exception e) when (e is FileNotFoundException or JsonException)
        {
            return null;
        }
    }
}
