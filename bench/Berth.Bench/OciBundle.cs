using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Berth.Bench;

/// <summary>
/// An OCI bundle equivalent to a Berth busybox container (a copy of the same rootfs, the pid, net, ipc, uts, mount
/// and cgroup namespaces, Docker's 14 capabilities) run by `runc run` or `crun run` with a private state root.
/// crun 1.8 refuses a hybrid host whose cgroup2 mount lists a controller, so it runs in a private mount namespace
/// (held open by a sleeping process) where that mount is gone, entered with nsenter; <see cref="EnterOnly"/>
/// measures that extra cost. runc runs as is. Each run creates and removes its leaf cgroup.
/// </summary>
public sealed class OciBundle : IDisposable
{
    private readonly Process? _holder;
    private readonly string _runtime;

    private OciBundle(string runtime, string directory, Process? holder)
    {
        _runtime = runtime;
        Directory = directory;
        _holder = holder;
    }

    public string Directory { get; }

    public string Rootfs => Path.Combine(Directory, "rootfs");

    public static bool IsInstalled(string runtime) => Exec.OnPath(runtime);

    /// <param name="runtime">"crun" or "runc"</param>
    /// <param name="cgroupsPath">crun: absolute, below the caller's memory cgroup; runc: relative to the caller's cgroup</param>
    public static OciBundle Create(string runtime, string rootfsSource, string cgroupsPath, string? parentDirectory = null)
    {
        string dir = Path.Combine(parentDirectory ?? "/var/tmp", $"berth-bench-{runtime}-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(dir);
        Exec.Checked("cp", "-a", rootfsSource, Path.Combine(dir, "rootfs"));
        Exec.Checked("crun", "spec", "--bundle", dir);
        string configPath = Path.Combine(dir, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        config["process"]!["terminal"] = false;
        config["process"]!["args"] = new JsonArray("true");
        var caps = new JsonArray(Berth.Engine.Security.Capabilities.DockerDefaults.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray());
        foreach (string set in new[] { "bounding", "effective", "permitted" })
            config["process"]!["capabilities"]![set] = caps.DeepClone();
        var namespaces = config["linux"]!["namespaces"]!.AsArray();
        if (!namespaces.Any(n => (string?)n!["type"] == "cgroup"))
            namespaces.Add(new JsonObject { ["type"] = "cgroup" });
        config["linux"]!["cgroupsPath"] = cgroupsPath; // a leaf the runtime creates and removes on every run
        File.WriteAllText(configPath, config.ToJsonString());
        Process? holder = null;
        if (runtime == "crun")
        {
            holder = Process.Start(new ProcessStartInfo("unshare", ["-m", "--propagation", "private", "sh", "-c",
                "umount /sys/fs/cgroup/unified 2>/dev/null; exec sleep infinity"]))!;
            Thread.Sleep(200);
        }
        return new OciBundle(runtime, dir, holder);
    }

    /// <summary>Argument vector of `&lt;runtime&gt; run` of the bundle as container <paramref name="id"/>.</summary>
    public string[] RunArgs(string id)
    {
        string[] run = [_runtime, "--root", Path.Combine(Directory, "state"), "run", "--bundle", Directory, id];
        return _holder is null ? run : ["nsenter", $"--mount=/proc/{_holder.Id}/ns/mnt", "--", .. run];
    }

    /// <summary>`runtime run` of the bundle (inside the holder's mount namespace for crun).</summary>
    public TimeSpan RunOnce(string id) => Exec.Run(RunArgs(id)).Check().Elapsed;

    /// <summary>Argument vector of entering the holder's namespace and running `true`: crun's timings include it.</summary>
    public string[] EnterOnlyArgs() => _holder is null ? ["true"] : ["nsenter", $"--mount=/proc/{_holder.Id}/ns/mnt", "--", "true"];

    public TimeSpan EnterOnly() => Exec.Run(EnterOnlyArgs()).Check().Elapsed;

    public void Dispose()
    {
        if (_holder is not null)
        {
            _holder.Kill();
            _holder.WaitForExit();
            _holder.Dispose();
        }
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
