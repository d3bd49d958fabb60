using System.Diagnostics;

namespace Berth.Bench;

/// <summary>
/// Benchmark 5: requests per second of GET /containers/json?all=1 (what `ps -a` asks), from a small client in the
/// harness (Berth.Http's UnixHttpClient): a fixed number of keep-alive connections, each sending the next request as
/// soon as the last answer is read, for a fixed time. The client shares the 2 CPUs with the daemon.
/// </summary>
public static class ApiBenchmark
{
    public sealed record Throughput(double RequestsPerSecond, double MeanLatencyMs, int BodyBytes, int Connections, TimeSpan Duration);

    public static async Task<Throughput> MeasureAsync(string socketPath, TimeSpan duration, int connections = 4)
    {
        var clients = Enumerable.Range(0, connections).Select(_ => new EngineApi(socketPath, 1)).ToList();
        try
        {
            int body = await clients[0].ListAllAsync(); // warm: one connection each, open
            foreach (var c in clients.Skip(1))
                await c.ListAllAsync();
            long count = 0;
            var clock = Stopwatch.StartNew();
            var workers = clients.Select(c => Task.Run(async () =>
            {
                long n = 0;
                while (clock.Elapsed < duration)
                {
                    await c.ListAllAsync();
                    n++;
                }
                Interlocked.Add(ref count, n);
            })).ToList();
            await Task.WhenAll(workers);
            double seconds = clock.Elapsed.TotalSeconds;
            return new Throughput(count / seconds, seconds * 1000 * connections / Math.Max(1, count), body, connections, duration);
        }
        finally
        {
            foreach (var c in clients)
                c.Dispose();
        }
    }
}
