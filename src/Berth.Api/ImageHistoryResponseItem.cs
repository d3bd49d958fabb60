namespace Berth.Api;

/// <summary>One entry of <c>GET /images/{name}/history</c> (swagger <c>HistoryResponseItem</c>), newest first.</summary>
public sealed class ImageHistoryResponseItem
{
    /// <summary>The image ID for the top entry, <c>&lt;missing&gt;</c> for the steps below it.</summary>
    public string Id { get; set; } = "";

    /// <summary>Unix seconds.</summary>
    public long Created { get; set; }

    public string CreatedBy { get; set; } = "";

    public List<string> Tags { get; set; } = [];

    public long Size { get; set; }

    public string Comment { get; set; } = "";
}
