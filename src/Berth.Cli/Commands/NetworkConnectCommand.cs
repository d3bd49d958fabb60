using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Http;

namespace Berth.Cli.Commands;

/// <summary><c>berth network connect [--alias A] [--ip IP] NETWORK CONTAINER</c>: POST /networks/{id}/connect; prints nothing.</summary>
public sealed class NetworkConnectCommand : Verb
{
    private readonly Option<string[]> _alias = Flags.List("--alias", null, "Add network-scoped alias for the container", "strings");
    private readonly Option<string> _ip = Flags.String("--ip", null, "IPv4 address (e.g., \"172.30.100.104\")");

    public NetworkConnectCommand() : base("network connect", "network connect [OPTIONS] NETWORK CONTAINER", "Connect a container to a network", ArgsRule.Exactly(2))
    {
    }

    protected override void AddOptions(Command command)
    {
        command.Options.Add(_alias);
        command.Options.Add(_ip);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var args = Positionals(parse);
        var request = BuildRequest(args[1], parse.GetValue(_alias), parse.GetValue(_ip));
        var client = await context.ConnectAsync(cancellationToken);
        using var response = await client.SendCheckedAsync(
            HttpClientRequest.Json("POST", client.Versioned($"/networks/{QueryString.EscapePath(args[0])}/connect"), request, ApiJsonContext.Default.NetworkConnectRequest),
            cancellationToken);
        return 0;
    }

    /// <summary>docker's body: the endpoint config carries the aliases and, when given, the IPv4 address.</summary>
    internal static NetworkConnectRequest BuildRequest(string container, string[]? aliases, string? ip) => new()
    {
        Container = container,
        EndpointConfig = new EndpointSettings
        {
            Aliases = aliases is { Length: > 0 } ? [.. aliases] : null,
            IPAMConfig = ip is { Length: > 0 } ? new EndpointIpamConfig { IPv4Address = ip } : null,
        },
    };
}
