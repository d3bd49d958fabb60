namespace Berth.Engine.Containers;

/// <summary>Docker's container states (State.Status), written in lower case on the wire.</summary>
public enum ContainerStatus
{
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
}
