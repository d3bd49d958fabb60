using System.Text.Json;
using Berth.Cli.Api;
using Berth.Cli.Api.Wire;
using Berth.Http;

namespace Berth.Cli.Stats;

/// <summary>
/// docker/cli's collect() for one container: GET /containers/{name}/stats?stream=0|1, each sample turned into the
/// row's values; the first sample (or an error, or 2 s without one) releases <see cref="First"/>. A stream that
/// stops delivering marks the row invalid ("timeout waiting for stats").
/// </summary>
internal sealed class StatsCollector
{
    private static readonly TimeSpan SampleTimeout = TimeSpan.FromSeconds(2);

    private readonly object _lock = new();
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private StatsValues _values = StatsValues.Empty;
    private bool _invalid;
    private Exception? _error;

    public StatsCollector(string container)
    {
        Container = container;
    }

    /// <summary>The container as named on the command line, or the short id of a listed one.</summary>
    public string Container { get; }

    /// <summary>Done when the first sample, error or timeout has come.</summary>
    public Task First => _first.Task;

    public Exception? Error
    {
        get
        {
            lock (_lock)
                return _error;
        }
    }

    public StatsRow Row(bool truncate)
    {
        lock (_lock)
            return new StatsRow(Container, _values, _invalid, truncate);
    }

    /// <summary>Collects until the stream ends (one sample without <paramref name="stream"/>) or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(DaemonClient client, bool stream, CancellationToken cancellationToken)
    {
        try
        {
            var query = new QueryString().Set("stream", stream ? "1" : "0");
            using var response = await client.SendCheckedAsync(
                new HttpClientRequest("GET", client.Versioned($"/containers/{QueryString.EscapePath(Container)}/stats{query}")), cancellationToken);
            using var lines = new StreamReader(response.Body);
            while (true)
            {
                var next = lines.ReadLineAsync(cancellationToken).AsTask();
                while (await Task.WhenAny(next, Task.Delay(SampleTimeout, cancellationToken)) != next)
                {
                    lock (_lock)
                    {
                        _values = _values with { CpuPercentage = 0, Memory = 0, MemoryPercentage = 0, MemoryLimit = 0, NetworkRx = 0, NetworkTx = 0, BlockRead = 0, BlockWrite = 0, PidsCurrent = 0 };
                        _error = new TimeoutException("timeout waiting for stats");
                        _invalid = true;
                    }
                    _first.TrySetResult();
                }
                string? line = await next;
                if (line is null)
                    break;
                if (line.Trim().Length == 0)
                    continue;
                var sample = JsonSerializer.Deserialize(line, CliJsonContext.Default.StatsResponse);
                if (sample is null)
                    continue;
                var values = StatsMath.Compute(sample);
                lock (_lock)
                {
                    _values = values;
                    _error = null;
                    _invalid = false;
                }
                _first.TrySetResult();
                if (!stream)
                    return;
            }
            SetError(new EndOfStreamException("EOF"));
        }
        catch (Exception e) when (e is DaemonErrorException or DaemonUnavailableException or IOException or JsonException)
        {
            SetError(e);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _first.TrySetResult();
        }
    }

    private void SetError(Exception error)
    {
        lock (_lock)
        {
            _error = error;
            _invalid = true;
        }
    }
}
