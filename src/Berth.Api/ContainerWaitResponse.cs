namespace Berth.Api;

/// <summary>The body of <c>POST /containers/{id}/wait</c>, sent when the condition is met: <c>{"StatusCode":N,"Error":null}</c>.</summary>
public sealed class ContainerWaitResponse
{
    public long StatusCode { get; set; }

    public ContainerWaitExitError? Error { get; set; }
}
