using Berth.Daemon.Api;
using Berth.Engine.Containers;
using NUnit.Framework;

namespace Berth.Api.Tests.Unit;

using ContainerState = Berth.Engine.Containers.ContainerState;

/// <summary>The Status column of docker ps (moby State.String()).</summary>
public sealed class ContainerStatusTextTests
{
    private static readonly DateTime Now = new(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    [Test]
    public void NeverStartedIsCreated() =>
        Assert.That(ContainerStatusText.Format(new ContainerState(), Now), Is.EqualTo("Created"));

    [Test]
    public void RunningIsUpSinceTheStart() =>
        Assert.That(ContainerStatusText.Format(new ContainerState { Status = ContainerStatus.Running, StartedAt = Now.AddMinutes(-2) }, Now), Is.EqualTo("Up 2 minutes"));

    [Test]
    public void PausedSaysSo() =>
        Assert.That(ContainerStatusText.Format(new ContainerState { Status = ContainerStatus.Paused, StartedAt = Now.AddSeconds(-5) }, Now), Is.EqualTo("Up 5 seconds (Paused)"));

    [Test]
    public void ExitedHasTheCodeAndTheTimeSinceTheEnd() =>
        Assert.That(ContainerStatusText.Format(new ContainerState { Status = ContainerStatus.Exited, ExitCode = 3, StartedAt = Now.AddHours(-1), FinishedAt = Now.AddSeconds(-3) }, Now),
            Is.EqualTo("Exited (3) 3 seconds ago"));

    [Test]
    public void FailedStartWithoutRunIsStillCreated() =>
        Assert.That(ContainerStatusText.Format(new ContainerState { Status = ContainerStatus.Created, ExitCode = 127, Error = "exec: \"nope\": executable file not found in $PATH" }, Now),
            Is.EqualTo("Created"));

    [Test]
    public void RemovingAndDead()
    {
        Assert.That(ContainerStatusText.Format(new ContainerState { Status = ContainerStatus.Removing, StartedAt = Now }, Now), Is.EqualTo("Removal In Progress"));
        Assert.That(ContainerStatusText.Format(new ContainerState { Status = ContainerStatus.Dead, StartedAt = Now }, Now), Is.EqualTo("Dead"));
    }

    [Test]
    public void StateNamesAreLowerCase() =>
        Assert.That(ContainerStatusText.StateName(ContainerStatus.Exited), Is.EqualTo("exited"));
}
