namespace Berth.Engine.Tests.Containers.Fakes;

/// <summary>A clock that moves only when a test advances it (timestamps and wall time).</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks;

    public DateTime Start { get; } = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => new(Start.AddTicks(Interlocked.Read(ref _ticks)));
}
