using Berth.Engine.Containers.Host;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Tests.Containers.Fakes;

/// <summary>
/// A fake child between clone and exec: <see cref="Continue"/> asks its host for the running <see cref="FakeProcess"/>
/// (or the scripted exec failure); disposed before that, it counts as killed.
/// </summary>
internal sealed class FakeStartingProcess(int pid, Func<int, FakeProcess> exec) : IStartingProcess
{
    public int Pid { get; } = pid;

    public bool Continued { get; private set; }

    /// <summary>Disposed without having exec'd: the real child would have been killed and reaped.</summary>
    public bool Killed { get; private set; }

    public (IContainerProcess Process, SafeFileHandle? Terminal) Continue()
    {
        try
        {
            return (exec(Pid), null);
        }
        catch
        {
            Killed = true; // as LaunchSession does when berth-init reports an Error
            throw;
        }
        finally
        {
            Continued = true;
        }
    }

    public void Dispose()
    {
        if (!Continued)
            Killed = true;
    }
}
