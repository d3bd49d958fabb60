using System.Net.Sockets;
using System.Text;
using Berth.Http;

namespace Berth.Cli.Tests.Wire;

/// <summary>
/// A recording Engine API stub with one container: it answers what a client needs for each command, and
/// notes every request as "c{connection} METHOD target", connections numbered in the order they appear.
/// A started container writes "hello\n" (or echoes its stdin, like cat) to the attach stream, then exits
/// with <see cref="ExitCode"/>, which releases /wait. Attach input that arrives before /start is noted.
/// </summary>
internal sealed class StubDaemon : IAsyncDisposable
{
    public const string ContainerId = "4b1d7b2a9c3e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd";
    public const string ImageId = "sha256:50962eefabc0ae0aa042c246cde2e6290743c012b6d4999e8998ef60a640b552";

    private readonly DirectoryInfo _directory;
    private readonly HttpServer _server;
    private readonly List<(long Connection, string Line)> _requests = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _killed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<byte[]>? _stdin;

    public StubDaemon()
    {
        _directory = Directory.CreateTempSubdirectory("berth-cli-stub-");
        SocketPath = Path.Combine(_directory.FullName, "stub.sock");
        var router = new Router();
        Map(router);
        _server = new HttpServer(new HttpServerOptions { EndPoint = new UnixDomainSocketEndPoint(SocketPath) }, router.HandleAsync);
        _server.Start();
    }

    public string SocketPath { get; }

    public string Host => "unix://" + SocketPath;

    public int ExitCode { get; init; }

    /// <summary>The started container runs until /kill arrives, then exits with 128 + the signal.</summary>
    public bool RunUntilKilled { get; init; }

    /// <summary>Whether /start has arrived.</summary>
    public Task Started => _started.Task;

    /// <summary>The body of the last create, as sent.</summary>
    public string? CreateBody { get; private set; }

    /// <summary>Whether the attach stream had delivered stdin and its EOF by the time /start arrived.</summary>
    public bool StdinClosedBeforeStart { get; private set; }

    public string? StdinBeforeStart { get; private set; }

    /// <summary>"c1 HEAD /_ping", ... with connections renumbered in order of appearance.</summary>
    public List<string> Requests
    {
        get
        {
            lock (_requests)
            {
                var numbers = new Dictionary<long, int>();
                return _requests.Select(r =>
                {
                    if (!numbers.TryGetValue(r.Connection, out int n))
                        numbers[r.Connection] = n = numbers.Count + 1;
                    return $"c{n} {r.Line}";
                }).ToList();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _killed.TrySetResult(137);
        _exited.TrySetResult(ExitCode);
        _started.TrySetResult();
        await _server.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        _directory.Delete(recursive: true);
    }

    private void Record(HttpContext context)
    {
        lock (_requests)
            _requests.Add((context.ConnectionId, $"{context.Request.Method} {context.Request.Target}"));
    }

    private void Map(Router router)
    {
        router.MapGet("/_ping", c =>
        {
            Record(c);
            c.Response.Headers.Set("Api-Version", "1.50");
            c.Response.Headers.Set("Ostype", "linux");
            c.Response.Headers.Set("Docker-Experimental", "false");
            c.Response.Headers.Set("Cache-Control", "no-cache, no-store, must-revalidate");
            c.Response.Headers.Set("Pragma", "no-cache");
            return c.Response.SendAsync("OK"u8.ToArray(), "text/plain; charset=utf-8");
        });
        router.MapGet("/version", c => Json(c, 200,
            "{\"Platform\":{\"Name\":\"Stub\"},\"Version\":\"0.1.0\",\"ApiVersion\":\"1.50\",\"MinAPIVersion\":\"1.40\",\"Os\":\"linux\",\"Arch\":\"amd64\",\"GoVersion\":\"stub\"}"));
        router.MapGet("/info", c => Json(c, 200,
            "{\"Containers\":1,\"ContainersRunning\":1,\"Images\":1,\"ServerVersion\":\"0.1.0\",\"Driver\":\"overlay2\",\"OSType\":\"linux\",\"NCPU\":2,\"MemTotal\":8192000000,\"DockerRootDir\":\"/var/lib/stub\"}"));
        router.MapPost("/containers/create", async c =>
        {
            var body = new MemoryStream();
            await c.Request.Body.CopyToAsync(body);
            CreateBody = Encoding.UTF8.GetString(body.ToArray());
            if (CreateBody.Contains("\"Image\":\"missing"))
                await Json(c, 404, "{\"message\":\"No such image: missing:1\"}");
            else
                await Json(c, 201, $"{{\"Id\":\"{ContainerId}\",\"Warnings\":[]}}");
        });
        router.MapPost("/images/create", c => Json(c, 404, "{\"message\":\"pull access denied for missing, repository does not exist\"}"));
        router.MapPost("/containers/{id}/attach", AttachAsync);
        router.MapPost("/containers/{id}/wait", async c =>
        {
            Record(c);
            c.Response.Headers.Set("Content-Type", "application/json");
            await c.Response.StartAsync(c.RequestAborted);
            if (c.Request.Query["condition"] is null)
                _ = Task.Delay(300).ContinueWith(_ => _exited.TrySetResult(ExitCode), TaskScheduler.Default);
            int code = await _exited.Task.WaitAsync(c.RequestAborted);
            await c.Response.Body.WriteAsync(Encoding.UTF8.GetBytes($"{{\"StatusCode\":{code},\"Error\":null}}\n"), c.RequestAborted);
        });
        router.MapPost("/containers/{id}/start", async c =>
        {
            Record(c);
            if (_stdin is { } stdin)
            {
                StdinClosedBeforeStart = stdin.Task.IsCompleted;
                StdinBeforeStart = stdin.Task.IsCompleted ? Encoding.UTF8.GetString(stdin.Task.Result) : null;
            }
            c.Response.StatusCode = 204;
            await c.Response.SendAsync(ReadOnlyMemory<byte>.Empty, null, c.RequestAborted);
            _started.TrySetResult();
            if (_stdin is null && !RunUntilKilled)
                _ = Task.Delay(300).ContinueWith(_ => _exited.TrySetResult(ExitCode), TaskScheduler.Default);
        });
        router.MapPost("/containers/{id}/stop", c => Empty(c));
        router.MapPost("/containers/{id}/kill", async c =>
        {
            await Empty(c);
            if (RunUntilKilled)
                _killed.TrySetResult(c.Request.Query["signal"] switch { "INT" => 130, "TERM" => 143, _ => 137 });
        });
        router.MapDelete("/containers/{id}", c => Empty(c));
        router.MapGet("/containers/json", c => Json(c, 200,
            $"[{{\"Id\":\"{ContainerId}\",\"Names\":[\"/web\"],\"Image\":\"busybox\",\"ImageID\":\"{ImageId}\",\"Command\":\"sleep 1000\",\"Created\":1700000000,"
            + "\"Ports\":[],\"Labels\":{},\"State\":\"running\",\"Status\":\"Up 2 minutes\",\"HostConfig\":{\"NetworkMode\":\"none\"},\"NetworkSettings\":{\"Networks\":{}},\"Mounts\":[]}]"));
        router.MapGet("/containers/{id}/json", c => Json(c, 200,
            $"{{\"Id\":\"{ContainerId}\",\"Name\":\"/web\",\"State\":{{\"Status\":\"exited\",\"Running\":false}},\"Image\":\"{ImageId}\","
            + "\"Config\":{\"Tty\":false,\"OpenStdin\":false,\"Image\":\"busybox\"},\"HostConfig\":{\"AutoRemove\":false},\"NetworkSettings\":{}}"));
        router.MapGet("/containers/{id}/logs", async c =>
        {
            Record(c);
            c.Response.Headers.Set("Content-Type", "application/vnd.docker.multiplexed-stream");
            await StdCopy.WriteFrameAsync(c.Response.Body, StdStream.Stdout, "log line\n"u8.ToArray(), c.RequestAborted);
        });
        router.MapGet("/images/json", c => Json(c, 200,
            $"[{{\"Id\":\"{ImageId}\",\"ParentId\":\"\",\"RepoTags\":[\"busybox:latest\"],\"RepoDigests\":[],\"Created\":1700000000,\"Size\":4261888,\"SharedSize\":-1,\"Labels\":{{}},\"Containers\":-1}}]"));
        router.MapGet("/images/{name}/json", c => Json(c, 200, $"{{\"Id\":\"{ImageId}\",\"RepoTags\":[\"busybox:latest\"]}}"));
        router.MapDelete("/images/{name}", c => Json(c, 200, $"[{{\"Untagged\":\"busybox:latest\"}},{{\"Deleted\":\"{ImageId}\"}}]"));
        router.MapPost("/images/load", async c =>
        {
            await c.Request.Body.CopyToAsync(Stream.Null);
            await Json(c, 200, "{\"stream\":\"Loaded image: busybox:latest\\n\"}\n");
        });
    }

    private async Task AttachAsync(HttpContext c)
    {
        Record(c);
        bool stdin = c.Request.Query.GetBool("stdin");
        var received = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (stdin)
            _stdin = received;
        c.Response.StatusCode = 101;
        c.Response.ReasonPhrase = "UPGRADED";
        c.Response.Headers.Add("Content-Type", "application/vnd.docker.multiplexed-stream");
        c.Response.Headers.Add("Connection", "Upgrade");
        c.Response.Headers.Add("Upgrade", "tcp");
        var connection = await c.HijackAsync(c.RequestAborted);
        var input = new MemoryStream();
        var reading = Task.Run(async () =>
        {
            await connection.Input.CopyToAsync(input);
            received.TrySetResult(input.ToArray());
        });
        await _started.Task;
        if (stdin)
        {
            await reading.WaitAsync(TimeSpan.FromSeconds(10));
            await StdCopy.WriteFrameAsync(connection.Output, StdStream.Stdout, input.ToArray());
        }
        else
        {
            await StdCopy.WriteFrameAsync(connection.Output, StdStream.Stdout, "hello\n"u8.ToArray());
        }
        await StdCopy.WriteFrameAsync(connection.Output, StdStream.Stderr, "to stderr\n"u8.ToArray());
        _exited.TrySetResult(RunUntilKilled ? await _killed.Task : ExitCode);
        await connection.CompleteAsync();
    }

    private Task Empty(HttpContext c)
    {
        Record(c);
        c.Response.StatusCode = 204;
        return c.Response.SendAsync(ReadOnlyMemory<byte>.Empty, null, c.RequestAborted);
    }

    private Task Json(HttpContext c, int status, string json)
    {
        Record(c);
        c.Response.StatusCode = status;
        return c.Response.SendAsync(Encoding.UTF8.GetBytes(json), "application/json", c.RequestAborted);
    }
}
