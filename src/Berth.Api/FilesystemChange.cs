namespace Berth.Api;

/// <summary>One entry of <c>GET /containers/{id}/changes</c>: a path and its kind, 0 modified, 1 added, 2 deleted.</summary>
public sealed class FilesystemChange
{
    public string Path { get; set; } = "";

    public int Kind { get; set; }
}
