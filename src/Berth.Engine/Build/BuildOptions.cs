using Berth.Common;

namespace Berth.Engine.Build;

/// <summary>What a build is asked for: the query of <c>POST /build</c> (moby's types.ImageBuildOptions).</summary>
public sealed class BuildOptions
{
    public IReadOnlyList<ImageReference> Tags { get; init; } = [];

    /// <summary>The Dockerfile's path in the context; "Dockerfile" (then "dockerfile") by default.</summary>
    public string? Dockerfile { get; init; }

    /// <summary><c>--build-arg</c>: a null value means "take it from the client's environment", which the CLI already did, so unset.</summary>
    public IReadOnlyDictionary<string, string?> BuildArgs { get; init; } = new Dictionary<string, string?>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string? Target { get; init; }

    public bool NoCache { get; init; }

    /// <summary>Remove a step's container once it succeeded (the default).</summary>
    public bool Remove { get; init; } = true;

    /// <summary>Remove a step's container also when it failed.</summary>
    public bool ForceRemove { get; init; }

    /// <summary>Only the image ID is output (<c>-q</c>).</summary>
    public bool Quiet { get; init; }

    public string NetworkMode { get; init; } = "default";

    public IReadOnlyList<string> ExtraHosts { get; init; } = [];

    /// <summary>Limits of the RUN containers (--memory, --memory-swap, --cpu-shares, --shm-size).</summary>
    public long Memory { get; init; }

    public long MemorySwap { get; init; }

    public long CpuShares { get; init; }

    public long ShmSize { get; init; }

    /// <summary>Pulls a base image that is not present (the daemon's registry client); null: it must be present.</summary>
    public Func<ImageReference, CancellationToken, Task<Images.Image?>>? PullBaseImage { get; init; }

    /// <summary><c>--pull</c>: always pull the base image (needs <see cref="PullBaseImage"/>).</summary>
    public bool Pull { get; init; }
}
