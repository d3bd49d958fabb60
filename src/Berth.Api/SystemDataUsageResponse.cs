using System.Text.Json;

namespace Berth.Api;

/// <summary>
/// The answer of <c>GET /system/df</c> (swagger <c>SystemDataUsageResponse</c>). The CLI computes the RECLAIMABLE
/// column itself: LayersSize minus the (Size - SharedSize) of images that containers use.
/// </summary>
public sealed class SystemDataUsageResponse
{
    public long LayersSize { get; set; }

    public List<ImageSummary>? Images { get; set; }

    public List<ContainerSummary>? Containers { get; set; }

    /// <summary>Swagger <c>Volume</c> objects; filled by the volume store.</summary>
    public List<JsonElement>? Volumes { get; set; }

    public List<JsonElement>? BuildCache { get; set; }
}
