using Berth.Common;
using Berth.Engine.Events;

namespace Berth.Engine.Images;

/// <summary>
/// The store's image events (`docker events --filter type=image`), published by the operation itself so every caller
/// (the API, the registry client, a builder, tests) gets them: tag, untag, delete, load, import, save, pull, prune.
/// </summary>
public sealed partial class ImageStore
{
    /// <summary>The stream the events go to; the engine passes its own.</summary>
    public EngineEvents Events { get; init; } = new();

    /// <summary>moby's LogImageEvent: the actor is the image ID (pull: the reference); attributes are the image's labels and <c>name</c>.</summary>
    private void Publish(Image image, string action, string name, string? actor = null)
    {
        var attributes = new Dictionary<string, string>(image.Config.Config?.Labels ?? new Dictionary<string, string>()) { ["name"] = name };
        Events.Publish("image", action, actor ?? image.Id, attributes);
    }

    /// <summary>An untag per removed reference, then a delete when the image itself went.</summary>
    private void PublishRemoval(Image image, ImageDeleteResult result)
    {
        foreach (string untagged in result.Untagged)
            Publish(image, "untag", untagged);
        if (result.Deleted.Contains(image.Id))
            Publish(image, "delete", image.Id);
    }

    /// <summary>After a save: one event per image, named by its first tag in the archive (moby names the reference asked for).</summary>
    internal void PublishSaved(IEnumerable<(Image Image, IReadOnlyList<ImageReference> Tags)> images)
    {
        foreach (var (image, tags) in images)
            Publish(image, "save", tags.Count > 0 ? tags[0].FamiliarString : image.Id);
    }
}
