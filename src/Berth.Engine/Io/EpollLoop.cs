using System.Collections.Concurrent;
using Berth.Interop;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Berth.Engine.Io;

/// <summary>
/// One thread that waits (epoll) on the file descriptors .NET cannot wait on asynchronously: pidfds of
/// container processes and the pipes and pty masters of their stdio. .NET's Socket engine only takes
/// sockets, and FileStream on a pipe blocks a thread-pool thread per read, which would cost two threads
/// per running container. Written by hand because no library offers readiness on arbitrary fds.
/// Callbacks run on the loop thread and must not block: read what is there, hand slow work to the pool.
/// </summary>
public sealed unsafe class EpollLoop : IDisposable
{
    private readonly int _epollFd;
    private readonly int _wakeFd;
    private readonly Thread _thread;
    private readonly ConcurrentDictionary<long, Registration> _registrations = new();
    private long _nextId;
    private volatile bool _stopping;

    private sealed record Registration(long Id, SafeFileHandle Handle, Action<long, uint> OnReady);

    public EpollLoop()
    {
        _epollFd = epoll_create1(EPOLL_CLOEXEC);
        if (_epollFd == -1)
            throw SyscallException.FromLastError("epoll_create1");
        _wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (_wakeFd == -1)
            throw SyscallException.FromLastError("eventfd");
        Control(EPOLL_CTL_ADD, _wakeFd, EPOLLIN, 0);
        _thread = new Thread(Run) { IsBackground = true, Name = "berth-epoll" };
        _thread.Start();
    }

    public const uint Readable = 0x001; // EPOLLIN
    public const uint HangUp = 0x010;   // EPOLLHUP

    /// <summary>
    /// Calls <paramref name="onReady"/> with the registration id and the epoll events each time
    /// <paramref name="handle"/> is readable or hung up (level-triggered). Returns the registration id.
    /// </summary>
    public long Add(SafeFileHandle handle, Action<long, uint> onReady)
    {
        long id = Interlocked.Increment(ref _nextId);
        _registrations[id] = new Registration(id, handle, onReady);
        Control(EPOLL_CTL_ADD, (int)handle.DangerousGetHandle(), EPOLLIN | EPOLLRDHUP, id);
        return id;
    }

    /// <summary>Stops watching; call before the handle is closed.</summary>
    public void Remove(long id)
    {
        if (_registrations.TryRemove(id, out var registration) && !registration.Handle.IsClosed)
            epoll_ctl(_epollFd, EPOLL_CTL_DEL, (int)registration.Handle.DangerousGetHandle(), null);
    }

    private void Control(int op, int fd, int events, long id)
    {
        var ev = new epoll_event { events = events };
        ev.data.u64 = (ulong)id;
        if (epoll_ctl(_epollFd, op, fd, &ev) == -1)
            throw SyscallException.FromLastError($"epoll_ctl {fd}");
    }

    private void Run()
    {
        const int MaxEvents = 64;
        var events = stackalloc epoll_event[MaxEvents];
        while (!_stopping)
        {
            int n = epoll_wait(_epollFd, events, MaxEvents, -1);
            if (n == -1)
            {
                if (errno == EINTR)
                    continue;
                throw SyscallException.FromLastError("epoll_wait");
            }
            for (int i = 0; i < n; i++)
            {
                long id = (long)events[i].data.u64;
                if (id != 0 && _registrations.TryGetValue(id, out var registration))
                    Dispatch(registration, (uint)events[i].events);
            }
        }
    }

    private void Dispatch(Registration registration, uint events)
    {
        try
        {
            registration.OnReady(registration.Id, events);
        }
        catch (Exception e)
        {
            // A failing callback must not take the loop (and every container's I/O) down with it.
            CallbackFailed?.Invoke(e);
        }
    }

    /// <summary>Raised on the loop thread when a callback throws.</summary>
    public event Action<Exception>? CallbackFailed;

    public void Dispose()
    {
        _stopping = true;
        ulong one = 1;
        write(_wakeFd, &one, sizeof(ulong));
        _thread.Join();
        close(_wakeFd);
        close(_epollFd);
    }
}
