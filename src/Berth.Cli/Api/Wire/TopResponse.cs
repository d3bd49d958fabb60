namespace Berth.Cli.Api.Wire;

/// <summary><c>GET /containers/{id}/top</c>: the ps column titles and one row per process.</summary>
public sealed class TopResponse
{
    public List<string> Titles { get; set; } = [];

    public List<List<string>> Processes { get; set; } = [];
}
