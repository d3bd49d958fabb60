using Berth.Engine.Containers;
using Berth.Integration.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Integration.Tests.Containers;

/// <summary>
/// Many short real containers at once, each ending with its own exit code (issue 10's drill: `sleep 1; exit 7` was once
/// reported as 137). Every code must come back exactly, through both `wait` and the state.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ShortContainersStressTests : EngineFixture
{
    [Test]
    public async Task Every_short_container_reports_its_own_exit_code()
    {
        const int Count = 24;
        var runs = new List<(Container Container, Task<ContainerExit> Exit, int Code)>();
        for (int i = 0; i < Count; i++)
        {
            int code = 3 + i * 5 % 120; // distinct, none of them 128+signal
            string script = i % 2 == 0 ? $"exit {code}" : $"sleep 0.$((RANDOM % 3)); exit {code}";
            var container = Engine.Containers.Create(null, new ContainerConfig { Image = "busybox", Cmd = ["sh", "-c", script] }, new HostConfig());
            var exit = Engine.Containers.WaitAsync(container.Id, WaitCondition.NextExit);
            await Engine.Containers.StartAsync(container.Id);
            runs.Add((container, exit, code));
        }
        foreach (var (container, exit, code) in runs)
        {
            var result = await exit.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.That(result.ExitCode, Is.EqualTo(code), $"{container.Name} (wait)");
            Assert.That(container.State.ExitCode, Is.EqualTo(code), $"{container.Name} (state)");
            Assert.That((await Engine.Containers.WaitAsync(container.Id, WaitCondition.NotRunning)).ExitCode, Is.EqualTo(code), $"{container.Name} (not-running)");
        }
    }
}
