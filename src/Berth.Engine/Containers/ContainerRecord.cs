namespace Berth.Engine.Containers;

/// <summary>What a container is: written once at create (and on rename), as config.json in its directory.</summary>
public sealed class ContainerRecord
{
    public string Id { get; set; } = "";

    /// <summary>The name without Docker's leading slash.</summary>
    public string Name { get; set; } = "";

    public DateTime Created { get; set; }

    /// <summary>The image id (sha256:...) the container was created from.</summary>
    public string ImageId { get; set; } = "";

    /// <summary>The config with the image's defaults merged in (see <see cref="ContainerSpecBuilder.Merge"/>).</summary>
    public ContainerConfig Config { get; set; } = new();

    public HostConfig HostConfig { get; set; } = new();

    public string Path { get; set; } = "";

    public List<string> Args { get; set; } = [];

    /// <summary>The mounts resolved at create (binds, volumes, volumes-from, `--mount`), in inspect's shape.</summary>
    public List<Volumes.MountPoint> Mounts { get; set; } = [];
}
