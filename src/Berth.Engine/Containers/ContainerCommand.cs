namespace Berth.Engine.Containers;

/// <summary>The command line a container runs: Docker's Path and Args in inspect.</summary>
public sealed record ContainerCommand(string Path, IReadOnlyList<string> Args)
{
    public IReadOnlyList<string> Argv => [Path, .. Args];
}
