using Berth.Engine.Storage;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Engine.Events;
using Berth.Engine.Rootfs;
using Berth.Interop;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Volumes;

/// <summary>
/// Volumes of the <c>local</c> driver under <c>&lt;data root&gt;/volumes</c>, laid out as Docker does:
/// <c>&lt;name&gt;/_data</c> holds the files (the Mountpoint), <c>&lt;name&gt;/volume.json</c> what the volume is.
/// volume.json is written last and atomically, so a directory without it is a create that never finished and is
/// removed at load. Volumes with mount options are mounted on their data directory while containers use them,
/// counted per container (moby's local driver does the same), and unmounted when the last one stops.
/// </summary>
public sealed partial class VolumeStore
{
    public const string LocalDriver = "local";
    private const string DataDirectory = "_data";
    private const string RecordFile = "volume.json";

    private readonly string _root;
    private readonly EngineEvents _events;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Volume> _volumes = [];
    private readonly Dictionary<string, HashSet<string>> _mountedFor = [];

    public VolumeStore(string root, EngineEvents events, ILogger logger)
    {
        _root = root;
        _events = events;
        _logger = logger;
    }

    /// <summary>The ids of the containers, running or not, whose mounts name a volume; set by the engine.</summary>
    public Func<string, IReadOnlyList<string>> UsersOf { get; set; } = _ => [];

    /// <summary>Reads the volumes on disk; unmounts what an earlier engine left mounted (no container runs at load).</summary>
    public void Load()
    {
        Directory.CreateDirectory(_root);
        foreach (string mount in MountTable.MountPointsUnder(_root).OrderByDescending(m => m.Length))
        {
            _logger.LogWarning("Unmounting {Mount}, left mounted by an earlier engine", mount);
            Sys.TryUnmount(mount, Libc.MNT_DETACH);
        }
        foreach (string dir in Directory.EnumerateDirectories(_root))
        {
            string name = Path.GetFileName(dir);
            string record = Path.Combine(dir, RecordFile);
            if (name.StartsWith(AtomicFile.TempPrefix, StringComparison.Ordinal) || !File.Exists(record))
            {
                _logger.LogWarning("Removing {Directory}: no {File} (an interrupted create or remove)", dir, RecordFile);
                Directory.Delete(dir, recursive: true);
                continue;
            }
            try
            {
                var volume = JsonSerializer.Deserialize(File.ReadAllBytes(record), VolumeJsonContext.Default.Volume)!;
                volume.Mountpoint = Path.Combine(dir, DataDirectory);
                _volumes[volume.Name] = volume;
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                _logger.LogError("Ignoring volume {Directory}: {Error}", dir, e.Message);
            }
        }
    }

    public IReadOnlyList<Volume> List()
    {
        lock (_gate)
            return _volumes.Values.OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
    }

    public Volume Get(string name) => TryGet(name) ?? throw new VolumeNotFoundException(name);

    public Volume? TryGet(string name)
    {
        lock (_gate)
            return _volumes.GetValueOrDefault(name);
    }

    /// <summary>
    /// Creates a volume, or returns the existing one of that name (moby's create is idempotent for the same driver).
    /// No name: a random one and the anonymous label, as moby gives `-v /path` and an image's VOLUME.
    /// </summary>
    public Volume Create(string? name, string? driver = null, IReadOnlyDictionary<string, string>? options = null, IReadOnlyDictionary<string, string>? labels = null)
    {
        driver = string.IsNullOrEmpty(driver) ? LocalDriver : driver;
        var labelCopy = new Dictionary<string, string>(labels ?? new Dictionary<string, string>());
        if (string.IsNullOrEmpty(name))
        {
            name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            labelCopy[Volume.AnonymousLabel] = "";
        }
        Check(name, driver, options);

        Volume volume;
        lock (_gate)
        {
            if (_volumes.TryGetValue(name, out var existing))
                return existing;
            volume = new Volume
            {
                Name = name,
                Driver = driver,
                CreatedAt = DateTime.UtcNow,
                Labels = labelCopy,
                Options = new Dictionary<string, string>(options ?? new Dictionary<string, string>()),
                Mountpoint = Path.Combine(_root, name, DataDirectory),
            };
            string dir = Path.Combine(_root, name);
            try
            {
                // moby's local driver: the volume directory 0701, its _data 0755 (created as the daemon's root).
                Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
                Directory.CreateDirectory(volume.Mountpoint);
                AtomicFile.WriteJson(Path.Combine(dir, RecordFile), volume, VolumeJsonContext.Default.Volume);
            }
            catch
            {
                if (Directory.Exists(dir))
                    Directory.Delete(dir, recursive: true);
                throw;
            }
            _volumes[name] = volume;
        }
        _events.Publish("volume", "create", name, new Dictionary<string, string> { ["driver"] = driver });
        return volume;
    }

    /// <summary>Removes a volume no container references (409 otherwise); with <paramref name="force"/> a missing one is no error.</summary>
    public void Remove(string name, bool force = false)
    {
        var users = UsersOf(name);
        lock (_gate)
        {
            if (!_volumes.TryGetValue(name, out var volume))
            {
                if (force)
                    return;
                throw new VolumeNotFoundException(name);
            }
            if (users.Count > 0 || _mountedFor.ContainsKey(name))
                throw new VolumeInUseException(name, users);
            Delete(volume);
        }
        _events.Publish("volume", "destroy", name, new Dictionary<string, string> { ["driver"] = LocalDriver });
    }

    /// <summary>
    /// Removes the volumes no container uses that <paramref name="filter"/> accepts; anonymous ones only unless
    /// <paramref name="all"/> (Docker 23+). Returns the names removed and the bytes their files took.
    /// </summary>
    public (List<string> Deleted, long SpaceReclaimed) Prune(bool all, Func<Volume, bool> filter)
    {
        var deleted = new List<string>();
        long reclaimed = 0;
        foreach (var volume in List())
        {
            if ((!all && !volume.IsAnonymous) || !filter(volume))
                continue;
            lock (_gate)
            {
                if (UsersOf(volume.Name).Count > 0 || _mountedFor.ContainsKey(volume.Name) || !_volumes.ContainsKey(volume.Name))
                    continue;
                reclaimed += LocalVolumeOptions.NeedsMount(volume.Options) ? 0 : DiskUsage.Of(volume.Mountpoint);
                Delete(volume);
            }
            deleted.Add(volume.Name);
            _events.Publish("volume", "destroy", volume.Name, new Dictionary<string, string> { ["driver"] = LocalDriver });
        }
        return (deleted, reclaimed);
    }

    /// <summary>Whether a container uses the volume (the `dangling` filter's opposite).</summary>
    public bool InUse(string name) => UsersOf(name).Count > 0;

    /// <summary>Makes the volume ready for a container's start: mounts its device when it has options and is not mounted yet.</summary>
    public void Acquire(string name, string containerId)
    {
        lock (_gate)
        {
            var volume = _volumes.GetValueOrDefault(name) ?? throw new VolumeNotFoundException(name);
            if (!LocalVolumeOptions.NeedsMount(volume.Options))
                return;
            if (!_mountedFor.TryGetValue(name, out var holders))
            {
                LocalVolumeOptions.Mount(volume.Options, volume.Mountpoint);
                _mountedFor[name] = holders = [];
            }
            holders.Add(containerId);
        }
    }

    /// <summary>The container's run ended: the last user of a mounted volume unmounts it.</summary>
    public void Release(string name, string containerId)
    {
        lock (_gate)
        {
            if (!_mountedFor.TryGetValue(name, out var holders) || !holders.Remove(containerId) || holders.Count > 0)
                return;
            _mountedFor.Remove(name);
            if (_volumes.TryGetValue(name, out var volume) && !Sys.TryUnmount(volume.Mountpoint, Libc.MNT_DETACH))
                _logger.LogWarning("Volume {Name} was not mounted any more at {Mountpoint}", name, volume.Mountpoint);
        }
    }

    /// <summary>Rename the directory away first (atomic), then delete it: a crash midway leaves no half volume.</summary>
    private void Delete(Volume volume)
    {
        string dir = Path.Combine(_root, volume.Name);
        string doomed = Path.Combine(_root, $"{AtomicFile.TempPrefix}{volume.Name}-{Guid.NewGuid():N}");
        Sys.Rename(dir, doomed);
        _volumes.Remove(volume.Name);
        Directory.Delete(doomed, recursive: true);
    }

    /// <summary>Refuses a bad name (unless empty: anonymous), an unknown driver or bad options, before anything is created.</summary>
    public static void Check(string name, string? driver, IReadOnlyDictionary<string, string>? options)
    {
        if (!string.IsNullOrEmpty(driver) && driver != LocalDriver)
            throw new VolumeDriverNotFoundException(driver);
        try
        {
            if (name.Length > 0)
                ValidateName(name);
            LocalVolumeOptions.Validate(options ?? new Dictionary<string, string>());
        }
        catch (InvalidParameterException e)
        {
            throw new InvalidParameterException($"create {name}: {e.Message}", e);
        }
    }

    /// <summary>moby's local driver names: at least two characters, <c>[a-zA-Z0-9][a-zA-Z0-9_.-]+</c>.</summary>
    public static void ValidateName(string name)
    {
        if (name.Length == 1)
            throw new InvalidParameterException("volume name is too short, names should be at least two alphanumeric characters");
        if (!NamePattern().IsMatch(name))
            throw new InvalidParameterException($"\"{name}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
    }

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex NamePattern();
}
