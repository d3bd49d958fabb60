namespace Berth.Api;

/// <summary>The answer of <c>POST /containers/{id}/update</c>.</summary>
public sealed class ContainerUpdateResponse
{
    public List<string>? Warnings { get; set; }
}
