using System.Globalization;
using System.Text.Json;
using Berth.Api;
using Berth.Engine.Containers;
using Berth.Engine.Logs;
using Berth.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Api;

/// <summary>The long-lived container calls: wait (headers first), attach (hijacked) and logs (streamed, -f).</summary>
public sealed class ContainerStreamRoutes(ApiServices services)
{
    private const string MultiplexedStream = "application/vnd.docker.multiplexed-stream";
    internal const string RawStream = "application/vnd.docker.raw-stream";
    private static readonly Version MultiplexedContentTypeSince = new(1, 42);
    private static readonly TimeSpan FollowPollInterval = TimeSpan.FromMilliseconds(100);
    internal static readonly TimeSpan OutputDrainTimeout = TimeSpan.FromSeconds(10);

    private ContainerManager Containers => services.Engine.Containers;

    public void Map(Router router)
    {
        router.MapPost("/containers/{id}/wait", WaitAsync);
        router.MapPost("/containers/{id}/attach", AttachAsync);
        router.MapGet("/containers/{id}/logs", LogsAsync);
    }

    /// <summary>Flushes the 200 head at once (the CLI waits for it before /start), then the body when the condition is met.</summary>
    private async Task WaitAsync(HttpContext context)
    {
        var condition = context.Request.Query["condition"] switch
        {
            null or "" or "not-running" => WaitCondition.NotRunning,
            "next-exit" => WaitCondition.NextExit,
            "removed" => WaitCondition.Removed,
            var other => throw new ApiException(400, $"invalid condition: \"{other}\""),
        };
        var container = Containers.Get(context.RouteValue("id"));
        var exit = Containers.WaitAsync(container.Id, condition, context.RequestAborted);
        context.Response.Headers.Set("Content-Type", "application/json");
        await context.Response.StartAsync(context.RequestAborted);
        var result = await exit;
        var body = new ContainerWaitResponse
        {
            StatusCode = result.ExitCode,
            Error = result.Error is { } error ? new ContainerWaitExitError { Message = error } : null,
        };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(body, ApiJsonContext.Default.ContainerWaitResponse);
        await context.Response.Body.WriteAsync(json.Append((byte)'\n').ToArray(), context.RequestAborted);
    }

    /// <summary>
    /// Hijacks the connection (101 UPGRADED, docker-api-notes §4.2) and carries the container's output to the client
    /// and the client's input to the container's stdin. Without a TTY, a client half-close only closes stdin (with
    /// StdinOnce); with a TTY, the end of the client's input or the detach keys end the attach and never the
    /// container's stdin (moby's CopyStreams: "cfg.CloseStdin &amp;&amp; !cfg.TTY"), so detaching from `run -it … sh`
    /// leaves the shell running. Otherwise the connection ends once the run's output is all sent, or when the start
    /// fails, the container is removed, the client goes away or the daemon stops.
    /// </summary>
    private async Task AttachAsync(HttpContext context)
    {
        var container = Containers.Get(context.RouteValue("id"));
        var request = context.Request;
        bool stream = QueryValues.Bool(request, "stream");
        bool stdin = QueryValues.Bool(request, "stdin");
        bool stdout = QueryValues.Bool(request, "stdout");
        bool stderr = QueryValues.Bool(request, "stderr");
        bool logs = QueryValues.Bool(request, "logs");
        bool tty = container.Record.Config.Tty;
        bool multiplexed = !tty;
        string? keys = request.Query["detachKeys"];
        byte[] detachKeys;
        try
        {
            detachKeys = string.IsNullOrEmpty(keys) ? DetachKeys.Default : DetachKeys.Parse(keys);
        }
        catch (FormatException)
        {
            throw new ApiException(400, $"Invalid detach keys ({keys}) provided");
        }
        var scanner = tty && stdin ? new DetachScanner(detachKeys) : null;

        var response = context.Response;
        response.Headers.Clear();
        if (context.IsUpgradeRequest)
        {
            response.StatusCode = 101;
            response.ReasonPhrase = "UPGRADED";
            response.Headers.Add("Content-Type", ContentType(context, multiplexed));
            response.Headers.Add("Connection", "Upgrade");
            response.Headers.Add("Upgrade", "tcp");
        }
        else
        {
            response.StatusCode = 200;
            response.Headers.Add("Content-Type", RawStream);
        }

        var sink = new AttachSink(stdout, stderr, multiplexed);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        using var registration = services.Attachments.Register(container.Id, session);
        ContainerAttachment? attachment = stream && !logs ? Containers.Attach(container.Id, sink, stdin) : null;
        HijackedConnection connection;
        try
        {
            connection = await context.HijackAsync(context.RequestAborted);
        }
        catch
        {
            if (attachment is not null)
                await attachment.DisposeAsync();
            throw;
        }
        try
        {
            if (logs)
            {
                if (ReadsLog(container))
                {
                    using var reader = new LogFileReader(container.LogPath, driver: LogDriverOf(container));
                    await DrainAsync(reader, connection.Output, new LogOptions(stdout, stderr, false, null, null, multiplexed), context.RequestAborted);
                }
                if (stream)
                    attachment = Containers.Attach(container.Id, sink, stdin);
            }
            if (attachment is not null)
                await StreamAsync(container, connection, sink, attachment, stdin, scanner, session.Token, context.RequestAborted);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            services.Logger.LogDebug("Attach to {Id} ended: {Error}", container.Id[..12], e.Message);
        }
        finally
        {
            if (attachment is not null)
                await attachment.DisposeAsync();
            await connection.CompleteAsync();
        }
    }

    private async Task StreamAsync(Container container, HijackedConnection connection, AttachSink sink, ContainerAttachment attachment, bool stdin,
        DetachScanner? tty, CancellationToken session, CancellationToken aborted)
    {
        var output = sink.PumpToAsync(connection.Output, aborted);
        var input = PumpInputAsync(connection.Input, attachment, stdin, tty, aborted);
        Observe(input);
        Observe(output);
        var removed = RemovedAsync(container.Id, session);
        // With a TTY the end of the input (or the detach keys) is the end of the attach.
        await (tty is not null ? Task.WhenAny(output, removed, sink.Overflow, input) : Task.WhenAny(output, removed, sink.Overflow));
        if (!sink.Overflowed)
        {
            // The run ended, the container is gone or the start failed: send what is queued, then close.
            sink.Complete();
            await Task.WhenAny(output, sink.Overflow, Task.Delay(OutputDrainTimeout, aborted));
        }
        if (sink.Overflowed || !output.IsCompleted)
        {
            if (!aborted.IsCancellationRequested)
                services.Logger.LogWarning("Attach client of {Id} fell more than {Max} bytes behind or stopped reading; disconnected it", container.Id[..12], AttachSink.MaxBacklog);
            connection.Abort();
        }
    }

    internal static void Observe(Task task) => _ = task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>Completes when the container is removed or the session ends (start failure, client gone, daemon stopping).</summary>
    private async Task RemovedAsync(string id, CancellationToken session)
    {
        try
        {
            await Containers.WaitAsync(id, WaitCondition.Removed, session);
        }
        catch (Exception e) when (e is OperationCanceledException or ContainerNotFoundException)
        {
        }
    }

    private static async Task PumpInputAsync(Stream input, ContainerAttachment attachment, bool stdin, DetachScanner? tty, CancellationToken ct)
    {
        bool ended = await DetachScanner.CopyAsync(input, stdin ? attachment.WriteStdinAsync : static (_, _) => ValueTask.CompletedTask, tty, ct);
        if (stdin && ended)
            attachment.CloseStdin();
    }

    /// <summary>
    /// The container's log (json-file or local) as stdcopy frames (one per entry), optionally prefixed with timestamps; with follow, new
    /// entries are streamed until the container's run ends or the client goes away.
    /// </summary>
    private async Task LogsAsync(HttpContext context)
    {
        var request = context.Request;
        var container = Containers.Get(context.RouteValue("id"));
        bool stdout = QueryValues.Bool(request, "stdout");
        bool stderr = QueryValues.Bool(request, "stderr");
        if (!stdout && !stderr)
            throw new ApiException(400, "Bad parameters: you must choose at least one stream");
        bool follow = QueryValues.Bool(request, "follow");
        int tail = int.TryParse(request.Query["tail"], NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : -1;
        bool multiplexed = !container.Record.Config.Tty;
        var options = new LogOptions(stdout, stderr, QueryValues.Bool(request, "timestamps"), QueryValues.Time(request, "since"), QueryValues.Time(request, "until"), multiplexed);
        var ct = context.RequestAborted;

        if (!ReadsLog(container))
            throw new ApiException(501, "configured logging driver does not support reading");
        Task? runEnd = follow && container.State.Running ? Containers.WaitAsync(container.Id, WaitCondition.NotRunning, ct) : null;
        using var reader = new LogFileReader(container.LogPath, tail, LogDriverOf(container));
        context.Response.StatusCode = 200;
        context.Response.Headers.Set("Content-Type", ContentType(context, multiplexed));
        await context.Response.StartAsync(ct);
        bool more = await DrainAsync(reader, context.Response.Body, options, ct);
        while (more && runEnd is not null)
        {
            bool ended = runEnd.IsCompleted;
            more = await DrainAsync(reader, context.Response.Body, options, ct);
            if (ended)
                break;
            await Task.WhenAny(runEnd, Task.Delay(FollowPollInterval, ct));
            ct.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Whether the container's log driver keeps a log to read (`none` does not).</summary>
    private static bool ReadsLog(Container container) =>
        container.Record.HostConfig.LogConfig?.Type != LogSettings.None;

    private static string LogDriverOf(Container container) =>
        container.Record.HostConfig.LogConfig?.Type is { Length: > 0 } type ? type : LogSettings.JsonFile;

    /// <summary>Streams what the reader has now, a bounded batch at a time; false once an entry is past <c>until</c>.</summary>
    private static async Task<bool> DrainAsync(LogFileReader reader, Stream output, LogOptions options, CancellationToken ct)
    {
        while (reader.ReadAvailable() is { Count: > 0 } batch)
            if (!await WriteEntriesAsync(output, batch, options, ct))
                return false;
        return true;
    }

    private sealed record LogOptions(bool Stdout, bool Stderr, bool Timestamps, DateTime? Since, DateTime? Until, bool Multiplexed);

    /// <summary>Writes the entries that pass the options, batched; false once an entry is past <c>until</c>.</summary>
    private static async Task<bool> WriteEntriesAsync(Stream output, List<LogEntry> entries, LogOptions options, CancellationToken ct)
    {
        var batch = new MemoryStream();
        bool more = true;
        foreach (var entry in entries)
        {
            if ((entry.Stream == LogStream.Stdout && !options.Stdout) || (entry.Stream == LogStream.Stderr && !options.Stderr))
                continue;
            if (options.Since is { } since && entry.Time < since)
                continue;
            if (options.Until is { } until && entry.Time > until)
            {
                more = false;
                break;
            }
            byte[] line = entry.Line;
            if (options.Timestamps)
                line = [.. System.Text.Encoding.ASCII.GetBytes(FixedTimestamp(entry.Time) + " "), .. line];
            batch.Write(AttachSink.Frame(entry.Stream, line, options.Multiplexed));
            if (batch.Length >= 64 * 1024)
            {
                await output.WriteAsync(batch.GetBuffer().AsMemory(0, (int)batch.Length), ct);
                batch.SetLength(0);
            }
        }
        if (batch.Length > 0)
            await output.WriteAsync(batch.GetBuffer().AsMemory(0, (int)batch.Length), ct);
        return more;
    }

    /// <summary>moby's jsonmessage.RFC3339NanoFixed, what `docker logs -t` shows: always nine fraction digits.</summary>
    private static string FixedTimestamp(DateTime utc) =>
        utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'", CultureInfo.InvariantCulture);

    /// <summary>From API 1.42 the content type tells the client whether the stream is multiplexed.</summary>
    internal static string ContentType(HttpContext context, bool multiplexed) =>
        multiplexed && (context.ApiVersion is null || context.ApiVersion >= MultiplexedContentTypeSince) ? MultiplexedStream : RawStream;
}
