namespace Berth.Compose;

/// <summary>What `berth compose` was given: <c>-f</c>, <c>-p</c>, <c>--project-directory</c>, <c>--env-file</c>, <c>--profile</c>, and the process environment.</summary>
public sealed class ComposeLoadOptions
{
    public IReadOnlyList<string> Files { get; init; } = [];

    public string? ProjectName { get; init; }

    public string? ProjectDirectory { get; init; }

    public IReadOnlyList<string> EnvFiles { get; init; } = [];

    public IReadOnlyList<string> Profiles { get; init; } = [];

    public required string CurrentDirectory { get; init; }

    public required IReadOnlyDictionary<string, string> Environment { get; init; }
}
