namespace Berth.Api;

/// <summary><c>GET /containers/{id}/top</c>: the ps header fields and one row of fields per process of the container.</summary>
public sealed class ContainerTopResponse
{
    public List<string> Titles { get; set; } = [];

    public List<List<string>> Processes { get; set; } = [];
}
