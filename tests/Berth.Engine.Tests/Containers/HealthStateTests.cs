using Berth.Engine.Containers.Health;
using Berth.Engine.Tests.Containers.Fakes;
using NUnit.Framework;

namespace Berth.Engine.Tests.Containers;

/// <summary>The healthcheck state machine (moby's handleProbeResult and monitor intervals), on a clock the test moves.</summary>
public sealed class HealthStateTests
{
    private static readonly long Second = 1_000_000_000;

    private static HealthcheckResult Result(ManualClock clock, int exitCode) =>
        new() { Start = clock.GetUtcNow().UtcDateTime, End = clock.GetUtcNow().UtcDateTime, ExitCode = exitCode, Output = $"exit {exitCode}" };

    [Test]
    public void Starting_becomes_healthy_on_a_pass_and_unhealthy_after_retries_failures()
    {
        var clock = new ManualClock();
        var config = new HealthConfig { Test = ["CMD", "true"], Retries = 2 };
        var state = new HealthState();
        Assert.That(state.Status, Is.EqualTo(HealthState.Starting));
        Assert.That(state.Apply(Result(clock, 0), config, clock.Start), Is.EqualTo(HealthState.Healthy));
        Assert.That(state.Apply(Result(clock, 1), config, clock.Start), Is.Null, "one failure of two");
        Assert.That(state.FailingStreak, Is.EqualTo(1));
        Assert.That(state.Apply(Result(clock, 1), config, clock.Start), Is.EqualTo(HealthState.Unhealthy));
        Assert.That(state.Apply(Result(clock, 0), config, clock.Start), Is.EqualTo(HealthState.Healthy));
        Assert.That(state.FailingStreak, Is.Zero);
    }

    [Test]
    public void Failures_in_the_start_period_do_not_count_while_starting()
    {
        var clock = new ManualClock();
        var config = new HealthConfig { Test = ["CMD", "false"], Retries = 1, StartPeriod = 10 * Second };
        var state = new HealthState();
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.That(state.Apply(Result(clock, 1), config, clock.Start), Is.Null);
        Assert.That((state.Status, state.FailingStreak), Is.EqualTo((HealthState.Starting, 0)));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.That(state.Apply(Result(clock, 1), config, clock.Start), Is.EqualTo(HealthState.Unhealthy));
    }

    [Test]
    public void The_log_keeps_the_last_five_results()
    {
        var clock = new ManualClock();
        var config = new HealthConfig { Test = ["CMD", "x"] };
        var state = new HealthState();
        for (int i = 0; i < 8; i++)
            state.Apply(Result(clock, i), config, clock.Start);
        Assert.That(state.Log.Select(r => r.ExitCode), Is.EqualTo(new[] { 3, 4, 5, 6, 7 }));
    }

    [Test]
    public void The_start_interval_applies_while_starting_within_the_start_period()
    {
        var clock = new ManualClock();
        var config = new HealthConfig { Test = ["CMD", "x"], Interval = 30 * Second, StartPeriod = 60 * Second, StartInterval = 2 * Second };
        var now = clock.Start.AddSeconds(10);
        Assert.That(HealthState.NextDelay(config, HealthState.Starting, clock.Start, now), Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(HealthState.NextDelay(config, HealthState.Healthy, clock.Start, now), Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(HealthState.NextDelay(config, HealthState.Starting, clock.Start, clock.Start.AddSeconds(61)), Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(HealthState.NextDelay(new HealthConfig { Test = ["CMD", "x"] }, HealthState.Starting, clock.Start, now), Is.EqualTo(TimeSpan.FromSeconds(30)), "Docker's default interval");
    }

    [Test]
    public void The_container_healthcheck_is_merged_over_the_images()
    {
        var image = new HealthConfig { Test = ["CMD-SHELL", "curl -f localhost"], Interval = 5 * Second, Retries = 4 };
        var merged = HealthConfig.Merge(new HealthConfig { Interval = 1 * Second }, image)!;
        Assert.That(merged.Test, Is.EqualTo(image.Test));
        Assert.That((merged.Interval, merged.Retries), Is.EqualTo((1 * Second, 4)));
        Assert.That(HealthConfig.Merge(new HealthConfig { Test = ["NONE"] }, image)!.IsEnabled, Is.False);
        Assert.That(HealthConfig.Merge(null, image), Is.SameAs(image));
        Assert.That(merged.Command(), Is.EqualTo(new[] { "/bin/sh", "-c", "curl -f localhost" }));
    }

    [Test]
    public void Durations_below_a_millisecond_and_negative_retries_are_refused()
    {
        Assert.Throws<InvalidParameterException>(() => new HealthConfig { Test = ["CMD", "x"], Interval = 1000 }.Validate());
        Assert.Throws<InvalidParameterException>(() => new HealthConfig { Test = ["CMD", "x"], Retries = -1 }.Validate());
        Assert.DoesNotThrow(() => new HealthConfig { Test = ["CMD", "x"], Interval = Second }.Validate());
    }
}
