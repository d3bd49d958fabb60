using Berth.Cli.CommandLine;
using Berth.Cli.Output;

namespace Berth.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var signals = SignalHub.Install();
        var app = new BerthApp(CliConsole.FromProcess(), Environment.GetEnvironmentVariable);
        return await app.RunAsync(args, signals);
    }
}
