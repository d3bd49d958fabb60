using System.Globalization;
using System.Text;
using Berth.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Processes;

/// <summary>
/// berthd's connection to berth-keeper (native-interop/keeper), the one process per data root that is the parent of
/// every container's first process when live restore is on: it spawns berth-launcher for berthd, reaps the containers
/// and keeps their exit status, and holds a copy of their output fds while no berthd runs. One request at a time
/// (a lock); each answer comes within milliseconds, the keeper does nothing slow.
/// </summary>
public sealed class KeeperClient : IDisposable
{
    private const int TimeoutMs = 10_000;
    private readonly Lock _gate = new();
    private readonly SafeFileHandle _socket;

    private KeeperClient(SafeFileHandle socket) => _socket = socket;

    /// <summary>
    /// Connects to the keeper of the data root, starting one when none listens (the keeper detaches, so berthd reaps
    /// its first process at once). A keeper that is just exiting refuses or drops the connection: start another.
    /// </summary>
    public static KeeperClient Open(string keeperPath, string socketPath)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (Sys.ConnectSeqPacket(socketPath) is { } socket)
            {
                var client = new KeeperClient(socket);
                try
                {
                    client.Status("-"); // the keeper answers: it is not one on its way out
                    return client;
                }
                catch (Exception e) when (e is IOException or SyscallException && attempt < 5)
                {
                    client.Dispose();
                }
            }
            else if (attempt >= 5)
            {
                throw new IOException($"berth-keeper does not listen on `{socketPath}`");
            }
            using (var devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite))
            {
                int raw = (int)devNull.DangerousGetHandle();
                int pid = Sys.Spawn(keeperPath, [keeperPath, socketPath], [], [raw, raw, 2]);
                Sys.WaitPid(pid); // 0 once it listens and detached; 3 when another keeper holds the socket
            }
        }
    }

    /// <summary>Connects to a keeper that runs already (an earlier engine's); null when none listens.</summary>
    public static KeeperClient? TryConnect(string socketPath) =>
        Sys.ConnectSeqPacket(socketPath) is { } socket ? new KeeperClient(socket) : null;

    /// <summary>Spawns <paramref name="args"/> as the keeper's child with <paramref name="fds"/> as its fds 0..n-1; returns its pid.</summary>
    public int Spawn(IReadOnlyList<string> args, IReadOnlyList<string> env, IReadOnlyList<int> fds)
    {
        var fields = new List<string> { "spawn" };
        fields.AddRange(args);
        fields.Add("");
        fields.AddRange(env);
        string reply = Request(fields, fds.ToArray(), null);
        if (reply.StartsWith("pid ", StringComparison.Ordinal))
            return int.Parse(reply.AsSpan(4), CultureInfo.InvariantCulture);
        throw new IOException($"berth-keeper could not spawn `{args[0]}`: {reply}");
    }

    /// <summary>Hands the keeper a copy of a container's fds (roles: stdout, stderr, stdin, tty) and names its pid.</summary>
    public void Hold(string containerId, int pid, IReadOnlyList<(string Role, SafeFileHandle Fd)> fds)
    {
        var fields = new List<string> { "hold", containerId, pid.ToString(CultureInfo.InvariantCulture) };
        fields.AddRange(fds.Select(f => f.Role));
        string reply = Request(fields, fds.Select(f => (int)f.Fd.DangerousGetHandle()).ToArray(), null);
        if (reply != "ok")
            throw new IOException($"berth-keeper could not hold the fds of {containerId[..12]}: {reply}");
    }

    /// <summary>The keeper's copies of a container's fds, with their roles; empty when it holds none.</summary>
    public IReadOnlyList<(string Role, SafeFileHandle Fd)> Fetch(string containerId)
    {
        var fds = new List<SafeFileHandle>();
        string reply = Request(["fetch", containerId], [], fds);
        string[] roles = reply.Split('\0');
        if (roles[0] != "fds" || roles.Length - 1 != fds.Count)
        {
            foreach (var fd in fds)
                fd.Dispose();
            return [];
        }
        return roles.Skip(1).Zip(fds).Select(p => (p.First, p.Second)).ToList();
    }

    /// <summary>Null when the keeper knows no such container; else whether it runs or the code it exited with (128+signal).</summary>
    public KeptStatus? Status(string containerId)
    {
        string reply = Request(["status", containerId], [], null);
        if (reply == "running")
            return new KeptStatus(true, 0);
        if (reply.StartsWith("exited ", StringComparison.Ordinal))
            return new KeptStatus(false, int.Parse(reply.AsSpan(7), CultureInfo.InvariantCulture));
        return null;
    }

    /// <summary>Closes the keeper's copies and forgets the container (its run ended and berthd handled the exit).</summary>
    public void Drop(string containerId) => Request(["drop", containerId], [], null);

    private string Request(IReadOnlyList<string> fields, int[] fds, List<SafeFileHandle>? received)
    {
        byte[] message = Encoding.UTF8.GetBytes(string.Join('\0', fields));
        byte[] buffer = new byte[4096];
        var fdsIn = received ?? [];
        lock (_gate)
        {
            Sys.SendFds(_socket, message, fds);
            int length = Sys.ReceiveFds(_socket, buffer, TimeoutMs, fdsIn);
            if (length <= 0)
            {
                foreach (var fd in fdsIn)
                    fd.Dispose();
                throw new IOException(length == 0 ? "berth-keeper closed the connection" : "berth-keeper did not answer within 10 s");
            }
            if (received is null)
                foreach (var fd in fdsIn)
                    fd.Dispose();
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
    }

    public void Dispose() => _socket.Dispose();
}
