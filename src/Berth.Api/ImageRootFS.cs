namespace Berth.Api;

/// <summary>The RootFS of an image inspect: <c>layers</c> and the DiffIDs, bottom first.</summary>
public sealed class ImageRootFS
{
    public string Type { get; set; } = "layers";

    public List<string> Layers { get; set; } = [];
}
