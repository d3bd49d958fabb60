using System.Diagnostics;

namespace Berth.Engine.Cgroups;

/// <summary>
/// The core files of one cgroup2 directory (<c>cgroup.freeze</c>, <c>cgroup.kill</c>, <c>cgroup.events</c>), which work without
/// any controller. Used by the v2 driver, and by the v1 driver for its matching cgroup in a hybrid host's
/// <c>unified</c> mount.
/// </summary>
internal sealed class Cgroup2Directory
{
    private readonly CgroupFiles _files;

    public Cgroup2Directory(string path, CgroupFiles files)
    {
        FullPath = path;
        _files = files;
    }

    public string FullPath { get; }

    private string EventsFile => Path.Combine(FullPath, "cgroup.events");

    /// <summary>Whether the kernel offers <c>cgroup.kill</c> (5.14 and later).</summary>
    public bool CanKill => File.Exists(Path.Combine(FullPath, "cgroup.kill"));

    public bool CanFreeze => File.Exists(Path.Combine(FullPath, "cgroup.freeze"));

    public bool IsFrozen => CgroupFiles.ReadKey(EventsFile, "frozen") == 1;

    /// <summary>Whether a process lives in this cgroup or below it; false when the cgroup is gone.</summary>
    public bool IsPopulated => CgroupFiles.ReadKey(EventsFile, "populated") == 1;

    /// <summary>SIGKILLs every process in the cgroup and below it (<c>cgroup.kill</c>), frozen ones included.</summary>
    public void Kill() => _files.Write(Path.Combine(FullPath, "cgroup.kill"), "1");

    /// <summary>Writes 1 to <c>cgroup.freeze</c> and waits until <c>cgroup.events</c> shows <c>frozen 1</c>; on timeout thaws again and throws.</summary>
    public void Freeze()
    {
        _files.Write(Path.Combine(FullPath, "cgroup.freeze"), "1");
        var clock = Stopwatch.StartNew();
        for (int i = 0; !IsFrozen; i++)
        {
            if (clock.Elapsed > _files.FreezeTimeout)
            {
                Thaw();
                throw new CgroupException($"freezing `{FullPath}` did not finish within {_files.FreezeTimeout.TotalSeconds:0.#} s; thawed it again");
            }
            Thread.Sleep(i < 10 ? 1 : 10);
        }
    }

    public void Thaw() => _files.Write(Path.Combine(FullPath, "cgroup.freeze"), "0");
}
