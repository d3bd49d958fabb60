namespace Berth.Engine;

/// <summary>Another berthd holds the data root's lock.</summary>
public sealed class DataRootInUseException(string dataRoot, int? pid)
    : Exception($"data root {dataRoot} is in use by another berthd ({(pid is null ? "pid unknown" : $"pid {pid}")}); " +
                $"stop it first or choose another --data-root")
{
    public int? Pid { get; } = pid;
}
