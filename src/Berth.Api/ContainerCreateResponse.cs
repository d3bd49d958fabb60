namespace Berth.Api;

/// <summary>201 answer of <c>POST /containers/create</c>; both fields are required.</summary>
public sealed class ContainerCreateResponse
{
    public string Id { get; set; } = "";

    public List<string> Warnings { get; set; } = [];
}
