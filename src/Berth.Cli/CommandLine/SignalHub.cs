using System.Runtime.InteropServices;

namespace Berth.Cli.CommandLine;

/// <summary>
/// SIGINT and SIGTERM end a command through <see cref="Token"/> (berth then exits 128+signal, as docker does),
/// unless a command proxies signals to its container (<c>run</c>, <c>start -a</c>, <c>attach</c>): then every
/// signal docker's ForwardAllSignals forwards (all it can catch but CHLD, PIPE and URG; here the ones a .NET
/// process can take: HUP, INT, QUIT, USR1, USR2, ALRM, TERM, CONT, TSTP, TTIN, TTOU, XCPU, XFSZ, VTALRM, PROF,
/// WINCH, IO, PWR) is handed to the proxy and berth keeps running.
/// </summary>
public sealed class SignalHub : IDisposable
{
    private static readonly (PosixSignal Signal, string Name, int Number)[] Proxied =
    [
        (PosixSignal.SIGHUP, "HUP", 1),
        (PosixSignal.SIGINT, "INT", 2),
        (PosixSignal.SIGQUIT, "QUIT", 3),
        ((PosixSignal)10, "USR1", 10),
        ((PosixSignal)12, "USR2", 12),
        ((PosixSignal)14, "ALRM", 14),
        (PosixSignal.SIGTERM, "TERM", 15),
        (PosixSignal.SIGCONT, "CONT", 18),
        (PosixSignal.SIGTSTP, "TSTP", 20),
        (PosixSignal.SIGTTIN, "TTIN", 21),
        (PosixSignal.SIGTTOU, "TTOU", 22),
        ((PosixSignal)24, "XCPU", 24),
        ((PosixSignal)25, "XFSZ", 25),
        ((PosixSignal)26, "VTALRM", 26),
        ((PosixSignal)27, "PROF", 27),
        (PosixSignal.SIGWINCH, "WINCH", 28),
        ((PosixSignal)29, "IO", 29),
        ((PosixSignal)30, "PWR", 30),
    ];

    private readonly CancellationTokenSource _terminated = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly object _lock = new();
    private Action<string>? _proxy;

    /// <summary>Listens for SIGINT and SIGTERM.</summary>
    public static SignalHub Install()
    {
        var hub = new SignalHub();
        hub._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, c => hub.OnSignal(c, "INT", 2)));
        hub._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => hub.OnSignal(c, "TERM", 15)));
        return hub;
    }

    /// <summary>Cancelled by SIGINT or SIGTERM when no proxy is set.</summary>
    public CancellationToken Token => _terminated.Token;

    /// <summary>The signal that cancelled <see cref="Token"/>.</summary>
    public int? TerminatedBy { get; private set; }

    /// <summary>
    /// Hands every proxied signal (by name without "SIG") to <paramref name="proxy"/> until the result is disposed.
    /// </summary>
    public IDisposable Proxy(Action<string> proxy)
    {
        var extra = new List<PosixSignalRegistration>();
        lock (_lock)
        {
            _proxy = proxy;
            foreach (var (signal, name, number) in Proxied)
                if (signal is not (PosixSignal.SIGINT or PosixSignal.SIGTERM))
                    extra.Add(PosixSignalRegistration.Create(signal, c => OnSignal(c, name, number)));
        }
        return new ProxyScope(this, extra);
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _terminated.Dispose();
    }

    private void OnSignal(PosixSignalContext context, string name, int number)
    {
        Action<string>? proxy;
        lock (_lock)
            proxy = _proxy;
        context.Cancel = true;
        if (proxy is not null)
        {
            proxy(name);
            return;
        }
        if (number is 2 or 15)
        {
            TerminatedBy ??= number;
            _terminated.Cancel();
        }
        else
        {
            context.Cancel = false;
        }
    }

    private sealed class ProxyScope(SignalHub hub, List<PosixSignalRegistration> registrations) : IDisposable
    {
        public void Dispose()
        {
            lock (hub._lock)
                hub._proxy = null;
            foreach (var registration in registrations)
                registration.Dispose();
        }
    }
}
