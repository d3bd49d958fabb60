using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Berth.Network.Interop;
using Berth.Network.Netlink;

namespace Berth.Network;

/// <summary>
/// A dedicated thread that joins one network namespace and runs the actions queued to it there, then exits when
/// disposed. Architecture rule 1: a thread that setns'd must never serve the pool, so this is a plain
/// <see cref="Thread"/> that is never reused. Sockets (netlink, nfnetlink, TCP) opened by an action stay bound to the
/// namespace and may be used from any thread afterwards; files under /proc/sys/net must be opened here.
/// </summary>
public sealed class NamespaceThread : IDisposable
{
    private readonly BlockingCollection<Action> _queue = new();
    private readonly Thread _thread;
    private readonly TaskCompletionSource _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Joins the network namespace at <paramref name="namespacePath"/> (/proc/PID/ns/net, /run/netns/NAME).</summary>
    public NamespaceThread(string namespacePath)
    {
        Path = namespacePath;
        _thread = new Thread(Run) { IsBackground = true, Name = "netns " + namespacePath };
        _thread.Start();
        _joined.Task.GetAwaiter().GetResult();
    }

    public string Path { get; }

    /// <summary>Runs <paramref name="action"/> inside the namespace and returns its result (or rethrows its exception).</summary>
    public T Invoke<T>(Func<T> action)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(() =>
        {
            try { done.SetResult(action()); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task.GetAwaiter().GetResult();
    }

    public void Invoke(Action action) => Invoke(() => { action(); return true; });

    private void Run()
    {
        try
        {
            using (var handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read))
            {
                if (NetLibc.setns((int)handle.DangerousGetHandle(), NetLibc.CLONE_NEWNET) == -1)
                    throw new NetlinkException($"setns `{Path}` CLONE_NEWNET", Marshal.GetLastPInvokeError());
            }
        }
        catch (Exception e)
        {
            _joined.SetException(e);
            return;
        }
        _joined.SetResult();
        foreach (var action in _queue.GetConsumingEnumerable())
            action();
    }

    /// <summary>Lets queued actions finish and waits for the thread to exit; the namespace it joined dies with it.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
    }
}
