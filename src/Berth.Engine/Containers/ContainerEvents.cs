using Berth.Engine.Events;

namespace Berth.Engine.Containers;

/// <summary>Publishes container events with Docker's attributes: the container's labels, name and image, plus extras.</summary>
internal sealed class ContainerEvents(EngineEvents events)
{
    public void Publish(Container container, string action, params (string Key, string Value)[] extra)
    {
        var attributes = new Dictionary<string, string>(container.Record.Config.Labels ?? []);
        attributes["name"] = container.Name;
        attributes["image"] = container.Record.Config.Image;
        foreach (var (key, value) in extra)
            attributes[key] = value;
        events.Publish("container", action, container.Id, attributes);
    }
}
