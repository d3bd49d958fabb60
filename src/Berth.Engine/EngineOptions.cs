namespace Berth.Engine;

/// <summary>Where the engine keeps its state and finds its helper programs.</summary>
public sealed class EngineOptions
{
    public string DataRoot { get; init; } = "/var/lib/berth";

    /// <summary>Directory holding berth-launcher and berth-init; defaults to the directory of the running program.</summary>
    public string HelperDirectory { get; init; } = DefaultHelperDirectory();

    /// <summary>Name of the cgroup, below the engine's own, that holds the containers' cgroups.</summary>
    public string CgroupParent { get; init; } = "berth";

    /// <summary>The log driver and options of containers that name none (berthd's --log-driver and --log-opt).</summary>
    public Logs.LogConfig DefaultLogConfig { get; init; } = new() { Type = Logs.LogSettings.JsonFile };

    /// <summary>How long each running container gets to stop when the engine closes (then SIGKILL).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The most bytes of file content an image load may unpack; null (the default, as in Docker) for no limit.</summary>
    public long? MaxImageUnpackedSize { get; init; }

    /// <summary>
    /// Take the data root's lock (<see cref="DataRootLock"/>) for the engine's life: true but in tests that open a
    /// second engine over the data root of one left open, standing for a daemon killed with -9.
    /// </summary>
    public bool LockDataRoot { get; init; } = true;

    /// <summary>
    /// Live restore: containers outlive berthd (stop, crash, upgrade) as children of berth-keeper, and the next engine
    /// adopts them; false: they are stopped when the engine closes and killed at the next load after a crash.
    /// </summary>
    public bool LiveRestore { get; init; }

    /// <summary>berth-keeper's socket: one keeper per data root.</summary>
    public string KeeperSocket => Path.Combine(DataRoot, "keeper.sock");

    public string KeeperPath => Path.Combine(HelperDirectory, "berth-keeper");

    public string LauncherPath => Path.Combine(HelperDirectory, "berth-launcher");

    public string InitPath => Path.Combine(HelperDirectory, "berth-init");

    public string ReaperPath => Path.Combine(HelperDirectory, "berth-reaper");

    private static string DefaultHelperDirectory() =>
        Environment.GetEnvironmentVariable("BERTH_HELPER_DIR") is { Length: > 0 } dir ? dir : AppContext.BaseDirectory;
}
