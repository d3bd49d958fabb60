using Berth.Cli.Api;
using Berth.Cli.Output;

namespace Berth.Cli.CommandLine;

/// <summary>What a verb runs with: the console, the environment, the daemon's address and the one client for it, signals.</summary>
public sealed class VerbContext : IAsyncDisposable
{
    private DaemonClient? _client;

    public VerbContext(CliConsole console, Func<string, string?> environment, string? hostFlag, SignalHub signals)
    {
        Console = console;
        Environment = environment;
        HostFlag = hostFlag;
        Signals = signals;
    }

    public CliConsole Console { get; }

    public Func<string, string?> Environment { get; }

    public string? HostFlag { get; }

    public SignalHub Signals { get; }

    /// <summary>The daemon address: -H, else BERTH_HOST, else DOCKER_HOST, else the default socket.</summary>
    public DaemonHost Host
    {
        get
        {
            try
            {
                return DaemonHost.Resolve(HostFlag, Environment);
            }
            catch (FormatException e)
            {
                throw new CliException(1, e.Message);
            }
        }
    }

    /// <summary>The client, after the HEAD /_ping every docker command starts with.</summary>
    public async Task<DaemonClient> ConnectAsync(CancellationToken cancellationToken)
    {
        _client ??= new DaemonClient(Host);
        await _client.NegotiateAsync(cancellationToken);
        return _client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
            await _client.DisposeAsync();
    }
}
