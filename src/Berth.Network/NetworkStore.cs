using Berth.Interop;
using System.Text.Json;

namespace Berth.Network;

/// <summary>
/// networks/&lt;id&gt;.json under the data root, one file per network, each replaced atomically; a crash leaves
/// either the old or the new record, and stray temp files are removed on open.
/// </summary>
public sealed class NetworkStore
{
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
            using var stream = File.OpenRead(path);
            var record = JsonSerializer.Deserialize(stream, NetworkJsonContext.Default.NetworkRecord)
                ?? throw new InvalidDataException($"{path}: empty network record");
            records.Add(record);
        }
        return records;
    }

    public void Save(NetworkRecord record) =>
        AtomicFile.WriteJson(Path.Combine(_directory, record.Id + ".json"), record, NetworkJsonContext.Default.NetworkRecord);

    public void Delete(string id) => File.Delete(Path.Combine(_directory, id + ".json"));
}
