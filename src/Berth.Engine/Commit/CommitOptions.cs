using Berth.Common;
using Berth.Engine.Images;

namespace Berth.Engine.Commit;

/// <summary>How <see cref="ContainerCommitter.CommitAsync"/> makes an image of a container (moby's backend.CreateImageConfig).</summary>
public sealed class CommitOptions
{
    /// <summary>The tag of the new image; null for an untagged one.</summary>
    public ImageReference? Tag { get; init; }

    public string? Author { get; init; }

    public string? Comment { get; init; }

    /// <summary>Dockerfile instructions applied to the config (see <see cref="ConfigChanges"/>).</summary>
    public IReadOnlyList<string> Changes { get; init; } = [];

    /// <summary>The config to start from instead of the container's (the API's request body; a builder's step config).</summary>
    public ImageExecutionConfig? Config { get; init; }

    /// <summary>Freeze a running container while its layer is read, so that the layer is one consistent moment.</summary>
    public bool Pause { get; init; } = true;

    /// <summary>The history's created_by; by default the container's command, as moby writes it.</summary>
    public string? CreatedBy { get; init; }
}
