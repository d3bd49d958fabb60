using NUnit.Framework;

namespace Berth.Integration.Tests.Infrastructure;

/// <summary>
/// A test class that shares one <see cref="TestEngine"/> (private data root, cgroup parent, fixture images) across
/// its tests; disposing it at the end removes every container and fails on any leak.
/// </summary>
public abstract class EngineFixture
{
    protected TestEngine Engine { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartEngine() => Engine = await TestEngine.StartAsync();

    [OneTimeTearDown]
    public async Task StopEngine()
    {
        if (Engine is not null)
            await Engine.DisposeAsync();
    }
}
