using Berth.Engine.Containers;
using Berth.Engine.Containers.Restart;
using Berth.Engine.Tests.Containers.Fakes;
using NUnit.Framework;

namespace Berth.Engine.Tests.Containers;

/// <summary>The restart policies' decisions and back-off (moby's restartmanager), on a clock the test moves.</summary>
public sealed class RestartBackoffTests
{
    private static RestartBackoff Backoff(string name, ManualClock clock, int max = 0) =>
        new(new RestartPolicy { Name = name, MaximumRetryCount = max }, 0, clock);

    [Test]
    public void The_delay_doubles_from_100_ms_up_to_one_minute()
    {
        var clock = new ManualClock();
        var backoff = Backoff(RestartPolicy.Always, clock);
        var delays = new List<TimeSpan>();
        for (int i = 0; i < 12; i++)
        {
            backoff.Started();
            clock.Advance(TimeSpan.FromMilliseconds(50)); // a short run
            delays.Add(backoff.Decide(exitCode: 1, manuallyStopped: false)!.Value);
        }
        Assert.That(delays.Take(10).Select(d => d.TotalMilliseconds), Is.EqualTo(new[] { 100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200 }));
        Assert.That(delays.Skip(10), Is.All.EqualTo(TimeSpan.FromMinutes(1)));
        Assert.That(backoff.RestartCount, Is.EqualTo(12));
    }

    [Test]
    public void A_run_of_ten_seconds_resets_the_delay()
    {
        var clock = new ManualClock();
        var backoff = Backoff(RestartPolicy.Always, clock);
        for (int i = 0; i < 4; i++)
        {
            backoff.Started();
            backoff.Decide(0, false);
        }
        backoff.Started();
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.That(backoff.Decide(0, false), Is.EqualTo(TimeSpan.FromMilliseconds(100)));
    }

    [Test]
    public void On_failure_restarts_after_a_failure_only_and_at_most_N_times()
    {
        var clock = new ManualClock();
        var backoff = Backoff(RestartPolicy.OnFailure, clock, max: 2);
        Assert.That(backoff.Decide(0, false), Is.Null, "exit 0 is not a failure");
        Assert.That(backoff.Decide(3, false), Is.Not.Null);
        Assert.That(backoff.Decide(3, false), Is.Not.Null);
        Assert.That(backoff.Decide(3, false), Is.Null, "the third failure is past the maximum of 2");
        Assert.That(backoff.RestartCount, Is.EqualTo(2));
    }

    [Test]
    public void On_failure_without_a_maximum_keeps_restarting()
    {
        var backoff = Backoff(RestartPolicy.OnFailure, new ManualClock());
        for (int i = 0; i < 20; i++)
            Assert.That(backoff.Decide(1, false), Is.Not.Null);
    }

    [Test]
    public void Unless_stopped_honours_a_stop_by_the_user_and_always_does_not()
    {
        Assert.That(Backoff(RestartPolicy.UnlessStopped, new ManualClock()).Decide(0, manuallyStopped: true), Is.Null);
        Assert.That(Backoff(RestartPolicy.UnlessStopped, new ManualClock()).Decide(0, manuallyStopped: false), Is.Not.Null);
        Assert.That(Backoff(RestartPolicy.Always, new ManualClock()).Decide(0, manuallyStopped: true), Is.Not.Null);
    }

    [Test]
    public void A_cancel_stops_every_policy_and_ends_a_pending_wait()
    {
        var backoff = Backoff(RestartPolicy.Always, new ManualClock());
        var token = backoff.Canceled;
        backoff.Cancel();
        Assert.That(token.IsCancellationRequested, Is.True);
        Assert.That(backoff.Decide(1, false), Is.Null);
    }

    [Test]
    public void No_policy_never_restarts_and_an_update_applies_to_the_next_exit()
    {
        var backoff = Backoff(RestartPolicy.No, new ManualClock());
        Assert.That(backoff.Decide(1, false), Is.Null);
        backoff.SetPolicy(new RestartPolicy { Name = RestartPolicy.Always });
        Assert.That(backoff.Decide(0, false), Is.EqualTo(TimeSpan.FromMilliseconds(100)));
    }

    [Test]
    public void At_engine_start_always_and_unless_stopped_come_back_unless_stopped_by_the_user()
    {
        var ran = new ContainerState { Status = ContainerStatus.Exited, StartedAt = DateTime.UtcNow, ExitCode = 137 };
        var stopped = new ContainerState { Status = ContainerStatus.Exited, StartedAt = DateTime.UtcNow, HasBeenManuallyStopped = true };
        var never = new ContainerState { Status = ContainerStatus.Created };
        Assert.That(RestartBackoff.StartsAtBoot(new RestartPolicy { Name = "always" }, ran), Is.True);
        Assert.That(RestartBackoff.StartsAtBoot(new RestartPolicy { Name = "always" }, stopped), Is.True);
        Assert.That(RestartBackoff.StartsAtBoot(new RestartPolicy { Name = "unless-stopped" }, ran), Is.True);
        Assert.That(RestartBackoff.StartsAtBoot(new RestartPolicy { Name = "unless-stopped" }, stopped), Is.False);
        Assert.That(RestartBackoff.StartsAtBoot(new RestartPolicy { Name = "always" }, never), Is.False);
        Assert.That(RestartBackoff.StartsAtBoot(null, ran), Is.False);
    }

    [TestCase("sometimes", 0, false)]
    [TestCase("always", 3, false)]
    [TestCase("on-failure", -1, false)]
    [TestCase("always", 0, true)]
    public void Bad_policies_are_the_clients_mistake(string name, int max, bool autoRemove) =>
        Assert.Throws<InvalidParameterException>(() => RestartPolicy.Validate(new RestartPolicy { Name = name, MaximumRetryCount = max }, autoRemove));
}
