using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Http;

namespace Berth.Cli.Commands;

/// <summary><c>berth network disconnect [-f] NETWORK CONTAINER</c>: POST /networks/{id}/disconnect; prints nothing.</summary>
public sealed class NetworkDisconnectCommand : Verb
{
    private readonly Option<bool> _force = Flags.Bool("--force", "-f", "Force the container to disconnect from a network");

    public NetworkDisconnectCommand() : base("network disconnect", "network disconnect [OPTIONS] NETWORK CONTAINER", "Disconnect a container from a network", ArgsRule.Exactly(2))
    {
    }

    protected override void AddOptions(Command command) => command.Options.Add(_force);

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var args = Positionals(parse);
        var request = new NetworkConnectRequest { Container = args[1], Force = parse.GetValue(_force) };
        var client = await context.ConnectAsync(cancellationToken);
        using var response = await client.SendCheckedAsync(
            HttpClientRequest.Json("POST", client.Versioned($"/networks/{QueryString.EscapePath(args[0])}/disconnect"), request, ApiJsonContext.Default.NetworkConnectRequest),
            cancellationToken);
        return 0;
    }
}
