namespace Berth.Cli.Commands;

/// <summary>A verb that creates a container from <see cref="ContainerFlags"/> (run, create).</summary>
internal interface IContainerVerb
{
    ContainerFlags ContainerFlags { get; }
}
