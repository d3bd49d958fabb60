using Berth.Engine.Images;

namespace Berth.Daemon.Api;

/// <summary>moby's LogImageEvent: the actor is the image ID; its attributes are the image's labels and <c>name</c>.</summary>
public static class ImageEvents
{
    public static void Publish(ApiServices services, Image image, string action, string name)
    {
        var attributes = new Dictionary<string, string>(image.Config.Config?.Labels ?? new Dictionary<string, string>()) { ["name"] = name };
        services.Engine.Events.Publish("image", action, image.Id, attributes);
    }
}
