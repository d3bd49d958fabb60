using System.Text;
using Berth.Api;
using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Engine.Logs;
using Berth.Engine.Processes;
using Berth.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Api;

/// <summary>
/// `docker exec`: create, start (hijacked although the request has a JSON body, or a plain 200 with Detach),
/// resize and inspect. The exit code is recorded before the stream closes, because the CLI inspects the exec
/// the moment it does (docker-api-notes §8).
/// </summary>
public sealed class ExecRoutes(ApiServices services)
{
    private static readonly Version ConsoleSizeSince = new(1, 42);

    private ExecManager Execs => services.Engine.Execs;

    public void Map(Router router)
    {
        router.MapPost("/containers/{id}/exec", CreateAsync);
        router.MapPost("/exec/{id}/start", StartAsync);
        router.MapPost("/exec/{id}/resize", ResizeAsync);
        router.MapGet("/exec/{id}/json", InspectAsync);
    }

    /// <summary>201 <c>{"Id"}</c>; 404 for an unknown container, 409 when it is not running or paused, 400 without a command or with bad detach keys.</summary>
    private async Task CreateAsync(HttpContext context)
    {
        var request = await context.Request.ReadJsonAsync(ApiJsonContext.Default.ExecCreateRequest, context.RequestAborted)
            ?? throw new ApiException(400, "No exec command specified");
        if (request.Cmd is not { Count: > 0 })
            throw new ApiException(400, "No exec command specified");
        byte[]? detachKeys = null;
        try
        {
            if (!string.IsNullOrEmpty(request.DetachKeys))
                detachKeys = DetachKeys.Parse(request.DetachKeys);
        }
        catch (FormatException)
        {
            // moby's words (it answers them with a 500; the keys are the client's mistake, so 400 here).
            throw new ApiException(400, $"Invalid escape keys ({request.DetachKeys}) provided");
        }
        var session = Execs.Create(context.RouteValue("id"), new ExecConfig
        {
            Cmd = request.Cmd,
            Env = request.Env,
            User = request.User,
            WorkingDir = request.WorkingDir,
            Tty = request.Tty,
            AttachStdin = request.AttachStdin,
            AttachStdout = request.AttachStdout,
            AttachStderr = request.AttachStderr,
            Privileged = request.Privileged,
            ConsoleSize = request.ConsoleSize is [int rows, int columns] ? [rows, columns] : null,
            DetachKeys = detachKeys,
        });
        services.Logger.LogDebug("Created exec {Exec} in {Container}: {Cmd}", session.Id[..12], session.Container.Id[..12], string.Join(' ', request.Cmd));
        context.Response.StatusCode = 201;
        await context.Response.SendJsonAsync(new IdResponse { Id = session.Id }, ApiJsonContext.Default.IdResponse, context.RequestAborted);
    }

    /// <summary>
    /// Detached: starts the command and answers 200 (409 when the container stopped or the exec already ran).
    /// Attached: hijacks first, as moby does, then starts the command; a failure to start (a missing command, a
    /// container that stopped meanwhile) is written to the stream as text, and the CLI's inspect then reads 126 or 127.
    /// </summary>
    private async Task StartAsync(HttpContext context)
    {
        var request = await context.Request.ReadJsonAsync(ApiJsonContext.Default.ExecStartRequest, context.RequestAborted) ?? new ExecStartRequest();
        var session = Execs.Get(context.RouteValue("id"));
        if (request.Detach)
        {
            Execs.Start(session.Id, sink: null);
            context.Response.StatusCode = 200;
            return;
        }
        var config = session.Config;
        if (config.Tty && request.ConsoleSize is [int rows, int columns] && rows > 0 && columns > 0
            && (context.ApiVersion is null || context.ApiVersion >= ConsoleSizeSince))
            session.Resize(ClampSize(rows), ClampSize(columns));

        bool multiplexed = !config.Tty;
        var response = context.Response;
        response.Headers.Clear();
        if (context.IsUpgradeRequest)
        {
            response.StatusCode = 101;
            response.ReasonPhrase = "UPGRADED";
            response.Headers.Add("Content-Type", ContainerStreamRoutes.ContentType(context, multiplexed));
            response.Headers.Add("Connection", "Upgrade");
            response.Headers.Add("Upgrade", "tcp");
        }
        else
        {
            response.StatusCode = 200;
            response.Headers.Add("Content-Type", ContainerStreamRoutes.RawStream);
        }

        var aborted = context.RequestAborted;
        var connection = await context.HijackAsync(aborted);
        try
        {
            var sink = new AttachSink(config.AttachStdout, config.AttachStderr, multiplexed);
            try
            {
                Execs.Start(session.Id, sink);
            }
            catch (Exception e) when (e is EngineException or IOException)
            {
                services.Logger.LogDebug("Exec {Exec} did not start: {Error}", session.Id[..12], e.Message);
                byte[] text = Encoding.UTF8.GetBytes(e.Message + "\r\n");
                await connection.Output.WriteAsync(AttachSink.Frame(LogStream.Stdout, text, multiplexed), aborted);
                return;
            }
            var output = sink.PumpToAsync(connection.Output, aborted);
            var scanner = config.Tty ? new DetachScanner(config.DetachKeys ?? DetachKeys.Default) : null;
            var input = PumpInputAsync(connection.Input, session, config.AttachStdin, scanner, aborted);
            ContainerStreamRoutes.Observe(output);
            ContainerStreamRoutes.Observe(input);
            // On a terminal, the end of the client's input (or the detach keys) ends the attach and leaves the command
            // running, as moby's CopyStreams does ("cfg.CloseStdin && !cfg.TTY"): no ^D reaches the shell.
            await (scanner is not null && config.AttachStdin ? Task.WhenAny(output, sink.Overflow, input) : Task.WhenAny(output, sink.Overflow));
            if (!output.IsCompleted && !sink.Overflowed)
            {
                sink.Complete();
                await Task.WhenAny(output, sink.Overflow, Task.Delay(ContainerStreamRoutes.OutputDrainTimeout, aborted));
            }
            if (sink.Overflowed || !output.IsCompletedSuccessfully)
            {
                if (sink.Overflowed)
                    services.Logger.LogWarning("Exec client of {Exec} fell more than {Max} bytes behind; disconnected it", session.Id[..12], AttachSink.MaxBacklog);
                connection.Abort();
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            services.Logger.LogDebug("Exec stream of {Exec} ended: {Error}", session.Id[..12], e.Message);
        }
        finally
        {
            await connection.CompleteAsync();
        }
    }

    /// <summary>
    /// The client's input to the command. Without a terminal its end (half-close) closes the command's stdin; on a
    /// terminal it passes the detach scanner and its end or the detach keys only end the pump, never the stdin.
    /// </summary>
    private static async Task PumpInputAsync(Stream input, ExecSession session, bool stdin, DetachScanner? tty, CancellationToken ct)
    {
        if (!stdin)
            return;
        try
        {
            await DetachScanner.CopyAsync(input, session.WriteStdinAsync, tty, ct);
        }
        finally
        {
            if (tty is null)
                session.CloseStdin();
        }
    }

    /// <summary>200; kept for the start when the exec has not started yet (the CLI resizes right after /start).</summary>
    private Task ResizeAsync(HttpContext context)
    {
        var session = Execs.Get(context.RouteValue("id"));
        var (rows, columns) = ContainerRoutes.ReadSize(context.Request);
        session.Resize(rows, columns);
        return Task.CompletedTask;
    }

    private Task InspectAsync(HttpContext context)
    {
        var session = Execs.Get(context.RouteValue("id"));
        var config = session.Config;
        var inspect = new ExecInspectResponse
        {
            Id = session.Id,
            Running = session.Running,
            ExitCode = session.ExitCode,
            ProcessConfig = new ExecProcessConfig
            {
                Tty = config.Tty,
                Entrypoint = config.Cmd[0],
                Arguments = config.Cmd.Skip(1).ToList(),
                Privileged = config.Privileged,
                User = string.IsNullOrEmpty(config.User) ? null : config.User,
            },
            OpenStdin = config.AttachStdin,
            OpenStdout = config.AttachStdout,
            OpenStderr = config.AttachStderr,
            ContainerId = session.Container.Id,
            DetachKeys = config.DetachKeys ?? [],
            Pid = session.Pid,
        };
        return context.Response.SendJsonAsync(inspect, ApiJsonContext.Default.ExecInspectResponse, context.RequestAborted);
    }

    private static ushort ClampSize(int value) => (ushort)Math.Clamp(value, 0, ushort.MaxValue);
}
