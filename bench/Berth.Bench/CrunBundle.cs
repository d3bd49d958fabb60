using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Berth.Bench;

/// <summary>
/// An OCI bundle equivalent to a Berth busybox container (same rootfs, namespaces incl. cgroup, Docker's 14
/// capabilities), run by `crun run`. crun 1.8 refuses a hybrid host whose cgroup2 mount lists a controller,
/// so it runs in a private mount namespace (held open by a sleeping process) where that mount is gone.
/// </summary>
public sealed class CrunBundle : IDisposable
{
    private readonly Process _holder;

    private CrunBundle(string directory, Process holder)
    {
        Directory = directory;
        _holder = holder;
    }

    public string Directory { get; }

    public static bool IsInstalled => File.Exists("/usr/bin/crun");

    public static CrunBundle Create(string rootfsSource, string cgroupParent)
    {
        string dir = Path.Combine("/var/tmp", "berth-bench-crun-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(dir);
        Run("cp", "-a", rootfsSource, Path.Combine(dir, "rootfs"));
        Run("crun", "spec", "--bundle", dir);
        string configPath = Path.Combine(dir, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        config["process"]!["terminal"] = false;
        config["process"]!["args"] = new JsonArray("true");
        var caps = new JsonArray(Berth.Engine.Security.Capabilities.DockerDefaults.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray());
        foreach (string set in new[] { "bounding", "effective", "permitted" })
            config["process"]!["capabilities"]![set] = caps.DeepClone();
        config["linux"]!["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "cgroup" });
        config["linux"]!["cgroupsPath"] = cgroupParent; // a leaf crun creates and removes on every run
        File.WriteAllText(configPath, config.ToJsonString());
        var holder = Process.Start(new ProcessStartInfo("unshare", ["-m", "--propagation", "private", "sh", "-c",
            "umount /sys/fs/cgroup/unified 2>/dev/null; exec sleep infinity"]))!;
        Thread.Sleep(200);
        return new CrunBundle(dir, holder);
    }

    /// <summary>`crun run` of the bundle, inside the holder's mount namespace.</summary>
    public TimeSpan RunOnce(string id) => Time("nsenter", $"--mount=/proc/{_holder.Id}/ns/mnt", "--", "crun", "run", "--bundle", Directory, id);

    /// <summary>The cost of entering the holder's namespace and running `true`: crun's timings include it.</summary>
    public TimeSpan EnterOnly() => Time("nsenter", $"--mount=/proc/{_holder.Id}/ns/mnt", "--", "true");

    public static TimeSpan Time(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        long start = Stopwatch.GetTimestamp();
        using var process = Process.Start(info)!;
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var elapsed = Stopwatch.GetElapsedTime(start);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {stderr}");
        return elapsed;
    }

    private static void Run(string program, params string[] args) => Time(program, args);

    public void Dispose()
    {
        _holder.Kill();
        _holder.WaitForExit();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
