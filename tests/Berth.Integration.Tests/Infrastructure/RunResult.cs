using Berth.Engine.Containers;

namespace Berth.Integration.Tests.Infrastructure;

public sealed record RunResult(Container Container, ContainerExit Exit, string Stdout, string Stderr)
{
    public int ExitCode => Exit.ExitCode;
}
