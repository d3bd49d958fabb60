namespace Berth.Engine.Build;

/// <summary>A parsed Dockerfile: its parser directives and instructions (see <see cref="DockerfileParser"/>).</summary>
public sealed class Dockerfile
{
    public char Escape { get; init; } = '\\';

    /// <summary>The <c># syntax=</c> directive, if any (recorded; the classic builder does not switch frontends).</summary>
    public string? Syntax { get; init; }

    public required IReadOnlyList<DockerfileInstruction> Instructions { get; init; }
}
