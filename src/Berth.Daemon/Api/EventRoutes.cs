using System.Text.Json;
using Berth.Api;
using Berth.Engine.Events;
using Berth.Http;

namespace Berth.Daemon.Api;

/// <summary>
/// <c>GET /events</c> (moby's getEvents): the head goes out at once; then the kept past events from <c>since</c>
/// (or up to <c>until</c> when only that is given), then live events, one JSON object per line, until the client
/// goes away or <c>until</c> is reached. An <c>until</c> in the past sends the past events and ends.
/// </summary>
public sealed class EventRoutes(ApiServices services)
{
    private EngineEvents Events => services.Engine.Events;

    public void Map(Router router) => router.MapGet("/events", EventsAsync);

    private async Task EventsAsync(HttpContext context)
    {
        var request = context.Request;
        DateTime? since = QueryValues.Time(request, "since");
        DateTime? until = QueryValues.Time(request, "until");
        if (since is { } s && until is { } u && u < s)
            throw new ApiException(400, $"`since` time ({request.Query["since"]}) cannot be after `until` time ({request.Query["until"]})");
        var filter = EventFilter.Parse(request.Query["filters"]);
        long sinceNano = since is { } from ? Nanoseconds(from) : long.MinValue;
        long untilNano = until is { } to ? Nanoseconds(to) : long.MaxValue;
        TimeSpan? remaining = until - DateTime.UtcNow;
        bool onlyPast = remaining <= TimeSpan.Zero;

        // Past events are replayed when either bound is given (moby: since, or until alone meaning "from the start").
        DateTimeOffset? replayFrom = since is { } start ? new DateTimeOffset(start, TimeSpan.Zero) : until is not null ? DateTimeOffset.UnixEpoch : null;
        using var subscription = Events.Subscribe(replayFrom);
        var ct = context.RequestAborted;
        context.Response.Headers.Set("Content-Type", "application/json");
        await context.Response.StartAsync(ct);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (remaining is { } left && !onlyPast && left < TimeSpan.FromDays(24))
            timeout.CancelAfter(left);
        var reader = subscription.Reader;
        var batch = new MemoryStream();
        try
        {
            while (true)
            {
                batch.SetLength(0);
                while (reader.TryRead(out var e))
                {
                    if (e.TimeNano > untilNano)
                        return; // later events are later still
                    if (e.TimeNano >= sinceNano && filter.Matches(e))
                    {
                        JsonSerializer.Serialize(batch, ToMessage(e), ApiJsonContext.Default.EventMessage);
                        batch.WriteByte((byte)'\n');
                    }
                }
                if (batch.Length > 0)
                    await context.Response.Body.WriteAsync(batch.GetBuffer().AsMemory(0, (int)batch.Length), ct);
                if (onlyPast)
                    return;
                if (!await reader.WaitToReadAsync(timeout.Token))
                    return;
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // until was reached.
        }
    }

    public static EventMessage ToMessage(EngineEvent e)
    {
        var message = new EventMessage
        {
            Type = e.Type,
            Action = e.Action,
            Actor = new EventActor { ID = e.ActorId, Attributes = new Dictionary<string, string>(e.Attributes) },
            Time = e.TimeNano / 1_000_000_000,
            TimeNano = e.TimeNano,
        };
        // The deprecated fields moby still fills for container and image events.
        if (e.Type is "container" or "image")
        {
            message.Status = e.Action;
            message.Id = e.ActorId;
            if (e.Type == "container")
                message.From = e.Attributes.TryGetValue("image", out string? image) ? image : "";
        }
        return message;
    }

    private static long Nanoseconds(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) * 100;
}
