namespace Berth.Engine.Cgroups;

/// <summary>A cgroup could not be created, limited, frozen, emptied or removed; the message names the cgroup or file.</summary>
public sealed class CgroupException : EngineException
{
    public CgroupException(string message)
        : base(ErrorKind.System, message)
    {
    }

    public CgroupException(string message, Exception inner)
        : base(ErrorKind.System, message, inner)
    {
    }
}
