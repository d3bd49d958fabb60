namespace Berth.Api;

/// <summary>Why waiting for a container failed.</summary>
public sealed class ContainerWaitExitError
{
    public string Message { get; set; } = "";
}
