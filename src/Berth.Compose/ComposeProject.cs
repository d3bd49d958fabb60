namespace Berth.Compose;

/// <summary>
/// A loaded project: its name, directory and files, the variables it was interpolated with, and its services,
/// networks and volumes as merged, interpolated and normalized nodes (services in file order, only those of active
/// profiles). <see cref="Model"/> is the whole model, which <c>config</c> prints.
/// </summary>
public sealed class ComposeProject
{
    public required string Name { get; init; }

    public required string WorkingDirectory { get; init; }

    public required IReadOnlyList<string> ConfigFiles { get; init; }

    public required IReadOnlyDictionary<string, string> Variables { get; init; }

    public required OrderedDictionary<string, MapNode> Services { get; init; }

    /// <summary>Services left out because none of their profiles is active.</summary>
    public required IReadOnlyList<string> DisabledServices { get; init; }

    public required OrderedDictionary<string, MapNode> Networks { get; init; }

    public required OrderedDictionary<string, MapNode> Volumes { get; init; }

    public required MapNode Model { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];
}
