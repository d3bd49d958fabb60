using System.Formats.Tar;
using System.Net.Sockets;
using System.Text;
using Berth.Http;

namespace Berth.Cli.Tests.Wire;

/// <summary>
/// A recording Engine API stub with one container: it answers what a client needs for each command, and
/// notes every request as "c{connection} METHOD target", connections numbered in the order they appear.
/// A started container writes "hello\n" (or echoes its stdin, like cat) to the attach stream, then exits
/// with <see cref="ExitCode"/>, which releases /wait. Attach input that arrives before /start is noted.
/// It also has an exec that writes "exec output\n" (and echoes its stdin) and exits with <see cref="ExecExitCode"/>,
/// a small filesystem for archive requests (/etc with hostname and group, /link -> /etc), top, changes, export,
/// one stats sample and a few events.
/// </summary>
internal sealed class StubDaemon : IAsyncDisposable
{
    public const string ContainerId = "4b1d7b2a9c3e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd";
    public const string ImageId = "sha256:50962eefabc0ae0aa042c246cde2e6290743c012b6d4999e8998ef60a640b552";
    public const string ExecId = "e7ec0ffee0123456789abcdef0123456789abcdef0123456789abcdef0123456";
    public const string PathStatMtime = "2024-01-02T03:04:05Z";

    private readonly DirectoryInfo _directory;
    private readonly HttpServer _server;
    private readonly List<(long Connection, string Line)> _requests = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _killed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(string Request, string Body)> _bodies = [];
    private string? _execCreateBody;
    private int _inspections;
    private readonly TaskCompletionSource _inspectedAfterAttach = new(TaskCreationOptions.RunContinuationsAsynchronously);
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

    public int ExecExitCode { get; init; }

    /// <summary>The container is already running: attach streams at once, no /start is waited for.</summary>
    public bool AlreadyRunning
    {
        get => _started.Task.IsCompleted;
        init
        {
            if (value)
                _started.TrySetResult();
        }
    }

    /// <summary>Bodies of exec create and start and the entry names of archive uploads, as "c1 POST /v1.50/…" → body.</summary>
    public List<(string Request, string Body)> Bodies
    {
        get
        {
            lock (_bodies)
                return [.. _bodies];
        }
    }

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

    /// <summary>Waits until a request whose line contains <paramref name="text"/> has arrived.</summary>
    public async Task WaitForRequestAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!Requests.Any(r => r.Contains(text, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no request with `{text}` arrived; the requests were:\n{string.Join("\n", Requests)}");
            await Task.Delay(20);
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
            // docker wait (no condition) sees the container end a moment later; attach's wait ends with the attach stream.
            if (c.Request.Query["condition"] is null && !AlreadyRunning)
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
        router.MapGet("/containers/{id}/json", c => InspectAsync(c, 200,
            $"{{\"Id\":\"{ContainerId}\",\"Name\":\"/web\",\"State\":{{\"Status\":\"running\",\"Running\":true,\"Paused\":false,\"Restarting\":false}},\"Image\":\"{ImageId}\","
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
        router.MapPost("/containers/{id}/exec", async c =>
        {
            _execCreateBody = await RecordBodyAsync(c);
            await Json(c, 201, $"{{\"Id\":\"{ExecId}\"}}");
        });
        router.MapPost("/exec/{id}/start", ExecStartAsync);
        router.MapGet("/exec/{id}/json", c => Json(c, 200,
            $"{{\"CanRemove\":false,\"ContainerID\":\"{ContainerId}\",\"DetachKeys\":\"\",\"ExitCode\":{ExecExitCode},\"ID\":\"{ExecId}\",\"OpenStderr\":true,"
            + "\"OpenStdin\":false,\"OpenStdout\":true,\"ProcessConfig\":{\"arguments\":[\"hi\"],\"entrypoint\":\"echo\",\"privileged\":false,\"tty\":false},"
            + "\"Running\":false,\"Pid\":4242}"));
        router.MapPost("/exec/{id}/resize", c => Empty(c, 200));
        router.MapPost("/containers/{id}/resize", c => Empty(c, 200));
        router.MapPost("/containers/{id}/pause", c => Empty(c));
        router.MapPost("/containers/{id}/unpause", c => Empty(c));
        router.MapPost("/containers/{id}/restart", c => Empty(c));
        router.MapPost("/containers/{id}/rename", c => Empty(c));
        router.MapGet("/containers/{id}/top", c => Json(c, 200,
            "{\"Titles\":[\"UID\",\"PID\",\"PPID\",\"C\",\"STIME\",\"TTY\",\"TIME\",\"CMD\"],"
            + "\"Processes\":[[\"root\",\"12345\",\"12320\",\"0\",\"10:00\",\"?\",\"00:00:00\",\"sleep 1000\"],[\"1000\",\"12400\",\"12345\",\"0\",\"10:01\",\"pts/0\",\"00:00:01\",\"sh -c while true; do sleep 1; done\"]]}"));
        router.MapGet("/containers/{id}/changes", c => Json(c, 200,
            "[{\"Path\":\"/etc\",\"Kind\":0},{\"Path\":\"/etc/group\",\"Kind\":2},{\"Path\":\"/new\",\"Kind\":1}]"));
        router.MapGet("/containers/{id}/export", async c =>
        {
            Record(c);
            c.Response.Headers.Set("Content-Type", "application/octet-stream");
            await c.Response.SendAsync(Tar(("new", "created\n"), ("etc/hostname", "stub\n")), "application/octet-stream", c.RequestAborted);
        });
        router.MapGet("/images/get", async c =>
        {
            Record(c);
            await c.Response.SendAsync(Tar(("manifest.json", "[]\n")), "application/x-tar", c.RequestAborted);
        });
        router.MapGet("/images/{name}/history", c => Json(c, 200,
            $"[{{\"Id\":\"{ImageId}\",\"Created\":1700000000,\"CreatedBy\":\"/bin/sh -c #(nop)  CMD [\\\"sh\\\"]\",\"Tags\":[\"busybox:latest\"],\"Size\":0,\"Comment\":\"\"}},"
            + "{\"Id\":\"<missing>\",\"Created\":1700000000,\"CreatedBy\":\"/bin/sh -c #(nop) ADD file:0123456789abcdef0123456789abcdef in / \",\"Tags\":null,\"Size\":4261888,\"Comment\":\"\"}]"));
        router.MapPost("/commit", c => Json(c, 201, $"{{\"Id\":\"{ImageId}\"}}"));
        router.MapGet("/system/df", c => Json(c, 200,
            $"{{\"LayersSize\":4261888,\"Images\":[{{\"Id\":\"{ImageId}\",\"ParentId\":\"\",\"RepoTags\":[\"busybox:latest\"],\"RepoDigests\":[],\"Created\":1700000000,"
            + "\"Size\":4261888,\"SharedSize\":0,\"Labels\":{},\"Containers\":1}],"
            + $"\"Containers\":[{{\"Id\":\"{ContainerId}\",\"Names\":[\"/web\"],\"Image\":\"busybox\",\"ImageID\":\"{ImageId}\",\"Command\":\"sleep 1000\",\"Created\":1700000000,"
            + "\"Ports\":[],\"SizeRw\":12000,\"SizeRootFs\":4273888,\"Labels\":{},\"State\":\"exited\",\"Status\":\"Exited (0) 2 minutes ago\",\"HostConfig\":{\"NetworkMode\":\"none\"},"
            + "\"NetworkSettings\":{\"Networks\":{}},\"Mounts\":[]}],"
            + "\"Volumes\":[{\"Name\":\"data\",\"Driver\":\"local\",\"Mountpoint\":\"/var/lib/berth/volumes/data/_data\",\"Scope\":\"local\",\"UsageData\":{\"Size\":2048,\"RefCount\":0}}],"
            + "\"BuildCache\":[]}"));
        router.MapPost("/containers/prune", c => Json(c, 200, $"{{\"ContainersDeleted\":[\"{ContainerId}\"],\"SpaceReclaimed\":12000}}"));
        router.MapPost("/images/prune", c => Json(c, 200, $"{{\"ImagesDeleted\":[{{\"Untagged\":\"busybox:latest\"}},{{\"Deleted\":\"{ImageId}\"}}],\"SpaceReclaimed\":4261888}}"));
        router.MapPost("/networks/prune", c => Json(c, 200, "{\"NetworksDeleted\":[\"backend\"]}"));
        router.MapPost("/volumes/prune", c => Json(c, 200, "{\"VolumesDeleted\":[\"data\"],\"SpaceReclaimed\":2048}"));
        router.MapPost("/build/prune", c => Json(c, 200, "{\"CachesDeleted\":null,\"SpaceReclaimed\":0}"));
        router.MapGet("/containers/{id}/stats", c => Json(c, 200,
            $"{{\"name\":\"/web\",\"id\":\"{ContainerId}\",\"read\":\"2024-01-02T03:04:06Z\",\"preread\":\"2024-01-02T03:04:05Z\",\"pids_stats\":{{\"current\":3,\"limit\":100}},"
            + "\"blkio_stats\":{\"io_service_bytes_recursive\":[{\"major\":8,\"minor\":0,\"op\":\"read\",\"value\":4096},{\"major\":8,\"minor\":0,\"op\":\"write\",\"value\":1228800}]},"
            + "\"num_procs\":0,\"storage_stats\":{},\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":2000000000,\"usage_in_kernelmode\":0,\"usage_in_usermode\":0},\"system_cpu_usage\":100000000000,\"online_cpus\":2,\"throttling_data\":{}},"
            + "\"precpu_stats\":{\"cpu_usage\":{\"total_usage\":1000000000},\"system_cpu_usage\":90000000000,\"online_cpus\":2},"
            + "\"memory_stats\":{\"usage\":10485760,\"limit\":67108864,\"stats\":{\"inactive_file\":2097152,\"anon\":8388608}},"
            + "\"networks\":{\"eth0\":{\"rx_bytes\":1500,\"tx_bytes\":700,\"rx_packets\":10,\"tx_packets\":5}}}\n"));
        router.MapGet("/events", EventsAsync);
        router.MapHead("/containers/{id}/archive", c =>
        {
            Record(c);
            if (Find(c.Request.Query["path"] ?? "") is not { } file)
            {
                c.Response.StatusCode = 404;
                return c.Response.SendAsync(ReadOnlyMemory<byte>.Empty, null, c.RequestAborted);
            }
            c.Response.Headers.Set("X-Docker-Container-Path-Stat", file.Stat);
            c.Response.StatusCode = 200;
            return c.Response.SendAsync(ReadOnlyMemory<byte>.Empty, null, c.RequestAborted);
        });
        router.MapGet("/containers/{id}/archive", c =>
        {
            string path = c.Request.Query["path"] ?? "";
            if (Find(path) is not { } file)
                return Json(c, 404, $"{{\"message\":\"Could not find the file {path} in container web\"}}");
            Record(c);
            c.Response.Headers.Set("X-Docker-Container-Path-Stat", file.Stat);
            return c.Response.SendAsync(file.Tar, "application/x-tar", c.RequestAborted);
        });
        router.MapPut("/containers/{id}/archive", async c =>
        {
            var names = new List<string>();
            await using (var reader = new TarReader(c.Request.Body, leaveOpen: true))
            {
                while (await reader.GetNextEntryAsync(copyData: false) is { } entry)
                    names.Add($"{entry.EntryType} {entry.Name}" + (entry.LinkName is { Length: > 0 } link ? " -> " + link : ""));
            }
            await c.Request.Body.CopyToAsync(Stream.Null);
            lock (_requests)
                _bodies.Add(($"{c.Request.Method} {c.Request.Target}", string.Join("\n", names)));
            await Empty(c, 200);
        });
        router.MapPost("/images/load", async c =>
        {
            await c.Request.Body.CopyToAsync(Stream.Null);
            await Json(c, 200, "{\"stream\":\"Loaded image: busybox:latest\\n\"}\n");
        });
    }

    /// <summary>
    /// A TTY session like a shell's: "stub$ " once started, every key echoed (Enter as "\r\n"), "exit" and Enter
    /// end it. Raw bytes, no framing.
    /// </summary>
    private static async Task TerminalSessionAsync(HijackedConnection connection, Task started, Action exited)
    {
        await started;
        await connection.Output.WriteAsync("stub$ "u8.ToArray());
        var typed = new StringBuilder();
        byte[] buffer = new byte[1024];
        int read;
        while ((read = await connection.Input.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(20))) > 0)
        {
            string text = Encoding.UTF8.GetString(buffer, 0, read);
            typed.Append(text);
            await connection.Output.WriteAsync(Encoding.UTF8.GetBytes(text.Replace("\r", "\r\n")));
            if (typed.ToString().Contains("exit\r"))
                break;
        }
        exited();
        await connection.CompleteAsync();
    }

    /// <summary>An inspect; the second releases the output of an attach to the running container (attach inspects before and after attaching).</summary>
    private async Task InspectAsync(HttpContext c, int status, string json)
    {
        await Json(c, status, json);
        if (Interlocked.Increment(ref _inspections) >= 2)
            _inspectedAfterAttach.TrySetResult();
    }

    private async Task AttachAsync(HttpContext c)
    {
        Record(c);
        bool stdin = c.Request.Query.GetBool("stdin");
        if (stdin && CreateBody is { } body && body.Contains("\"Tty\":true"))
        {
            c.Response.StatusCode = 101;
            c.Response.ReasonPhrase = "UPGRADED";
            c.Response.Headers.Add("Content-Type", "application/vnd.docker.raw-stream");
            c.Response.Headers.Add("Connection", "Upgrade");
            c.Response.Headers.Add("Upgrade", "tcp");
            var terminal = await c.HijackAsync(c.RequestAborted);
            await TerminalSessionAsync(terminal, _started.Task, () => _exited.TrySetResult(ExitCode));
            return;
        }
        var received = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (stdin)
            _stdin = received;
        c.Response.StatusCode = 101;
        c.Response.ReasonPhrase = "UPGRADED";
        c.Response.Headers.Add("Content-Type", "application/vnd.docker.multiplexed-stream");
        c.Response.Headers.Add("Connection", "Upgrade");
        c.Response.Headers.Add("Upgrade", "tcp");
        var connection = await c.HijackAsync(c.RequestAborted);
        if (AlreadyRunning)
            await _inspectedAfterAttach.Task.WaitAsync(TimeSpan.FromSeconds(5));
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

    private async Task ExecStartAsync(HttpContext c)
    {
        string body = await RecordBodyAsync(c);
        if (body.Contains("\"Detach\":true"))
        {
            c.Response.StatusCode = 200;
            await c.Response.SendAsync(ReadOnlyMemory<byte>.Empty, null, c.RequestAborted);
            return;
        }
        bool tty = body.Contains("\"Tty\":true");
        c.Response.StatusCode = 101;
        c.Response.ReasonPhrase = "UPGRADED";
        c.Response.Headers.Add("Content-Type", tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream");
        c.Response.Headers.Add("Connection", "Upgrade");
        c.Response.Headers.Add("Upgrade", "tcp");
        var connection = await c.HijackAsync(c.RequestAborted);
        if (tty && _execCreateBody?.Contains("\"AttachStdin\":true") == true)
        {
            await TerminalSessionAsync(connection, Task.CompletedTask, () => { });
            return;
        }
        var input = new MemoryStream();
        await connection.Input.CopyToAsync(input).WaitAsync(TimeSpan.FromSeconds(10));
        byte[] output = [.. "exec output\n"u8, .. input.ToArray()];
        if (tty)
            await connection.Output.WriteAsync(output);
        else
            await StdCopy.WriteFrameAsync(connection.Output, StdStream.Stdout, output);
        await connection.CompleteAsync();
    }

    private async Task EventsAsync(HttpContext c)
    {
        Record(c);
        c.Response.Headers.Set("Content-Type", "application/json");
        await c.Response.StartAsync(c.RequestAborted);
        // Without an end (stats follows the stream) no event comes: which of the list and the events would win is a race in docker too.
        if (c.Request.Query["until"] is null)
        {
            await Task.Delay(Timeout.Infinite, c.RequestAborted);
            return;
        }
        foreach (var (action, nano) in new[] { ("create", 123456789L), ("start", 223456789L) })
        {
            string json = $"{{\"status\":\"{action}\",\"id\":\"{ContainerId}\",\"from\":\"busybox\",\"Type\":\"container\",\"Action\":\"{action}\","
                          + $"\"Actor\":{{\"ID\":\"{ContainerId}\",\"Attributes\":{{\"name\":\"web\",\"image\":\"busybox\",\"a<b\":\"x&y\"}}}},"
                          + $"\"scope\":\"local\",\"time\":1700000000,\"timeNano\":{1700000000_000000000L + nano}}}\n";
            await c.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(json), c.RequestAborted);
            await c.Response.Body.FlushAsync(c.RequestAborted);
        }
    }

    private async Task<string> RecordBodyAsync(HttpContext c)
    {
        Record(c);
        var body = new MemoryStream();
        await c.Request.Body.CopyToAsync(body);
        string text = Encoding.UTF8.GetString(body.ToArray());
        lock (_requests)
            _bodies.Add(($"{c.Request.Method} {c.Request.Target}", text));
        return text;
    }

    /// <summary>A path of the stub's filesystem: its stat header and the tar GET /archive sends for it.</summary>
    private static (string Stat, byte[] Tar)? Find(string path)
    {
        const uint dir = 0x80000000 | 0x1ED;
        const uint symlink = 0x8000000 | 0x1FF;
        return path.TrimEnd('/') switch
        {
            "/etc/hostname" => (Stat("hostname", 5, 0x1A4, ""), Tar(("hostname", "stub\n"))),
            "/etc" => (Stat("etc", 4096, dir, ""), Tar(("etc/", null), ("etc/group", "root:x:0:\n"), ("etc/hostname", "stub\n"))),
            "/etc/." => (Stat(".", 4096, dir, ""), Tar(("./", null), ("./group", "root:x:0:\n"), ("./hostname", "stub\n"))),
            "/link" => (Stat("link", 4, symlink, "/etc"), Tar(("link", "->/etc"))),
            "/data" => (Stat("data", 4096, dir, ""), Tar(("data/", null))),
            _ => null,
        };
    }

    private static string Stat(string name, long size, uint mode, string linkTarget) => Convert.ToBase64String(Encoding.UTF8.GetBytes(
        $"{{\"name\":\"{name}\",\"size\":{size},\"mode\":{mode},\"mtime\":\"{PathStatMtime}\",\"linkTarget\":\"{linkTarget}\"}}"));

    /// <summary>A PAX tar of directories (null content, name ending in "/"), files and symlinks (content "->target").</summary>
    private static byte[] Tar(params (string Name, string? Content)[] entries)
    {
        var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var type = content is null ? TarEntryType.Directory : content.StartsWith("->") ? TarEntryType.SymbolicLink : TarEntryType.RegularFile;
                var entry = new PaxTarEntry(type, name)
                {
                    Mode = type == TarEntryType.RegularFile ? (UnixFileMode)0x1A4 : (UnixFileMode)0x1ED,
                    ModificationTime = DateTimeOffset.Parse(PathStatMtime, System.Globalization.CultureInfo.InvariantCulture),
                };
                if (type == TarEntryType.SymbolicLink)
                    entry.LinkName = content![2..];
                else if (type == TarEntryType.RegularFile)
                    entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content!));
                writer.WriteEntry(entry);
            }
        }
        return buffer.ToArray();
    }

    private Task Empty(HttpContext c, int status = 204)
    {
        Record(c);
        c.Response.StatusCode = status;
        return c.Response.SendAsync(ReadOnlyMemory<byte>.Empty, null, c.RequestAborted);
    }

    private Task Json(HttpContext c, int status, string json)
    {
        Record(c);
        c.Response.StatusCode = status;
        return c.Response.SendAsync(Encoding.UTF8.GetBytes(json), "application/json", c.RequestAborted);
    }
}
