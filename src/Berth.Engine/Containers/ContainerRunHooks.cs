namespace Berth.Engine.Containers;

/// <summary>
/// What other parts of the engine do when a run of a container starts and ends (the healthcheck monitor), without the
/// lifecycle knowing them. Handlers run on the caller's thread and must not throw or block.
/// </summary>
internal sealed class ContainerRunHooks
{
    /// <summary>After the state says running and "start" was published.</summary>
    public event Action<Container>? Started;

    /// <summary>In the exit path, before the state says exited (or restarting).</summary>
    public event Action<Container>? Ending;

    public void RaiseStarted(Container container) => Started?.Invoke(container);

    public void RaiseEnding(Container container) => Ending?.Invoke(container);
}
