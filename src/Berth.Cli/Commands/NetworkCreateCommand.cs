using System.CommandLine;
using Berth.Api;
using Berth.Cli.CommandLine;
using Berth.Http;

namespace Berth.Cli.Commands;

/// <summary><c>berth network create [OPTIONS] NETWORK</c>: POST /networks/create; prints the new network's ID.</summary>
public sealed class NetworkCreateCommand : Verb
{
    private readonly Option<string> _driver = Flags.String("--driver", "-d", "Driver to manage the Network");
    private readonly Option<string[]> _subnet = Flags.List("--subnet", null, "Subnet in CIDR format that represents a network segment", "strings");
    private readonly Option<string[]> _gateway = Flags.List("--gateway", null, "IPv4 or IPv6 Gateway for the master subnet", "strings");
    private readonly Option<bool> _internal = Flags.Bool("--internal", null, "Restrict external access to the network");
    private readonly Option<string[]> _label = Flags.List("--label", null, "Set metadata on a network");
    private readonly Option<string[]> _opt = Flags.List("--opt", "-o", "Set driver specific options", "map");

    public NetworkCreateCommand() : base("network create", "network create [OPTIONS] NETWORK", "Create a network", ArgsRule.Exactly(1))
    {
    }

    protected override void AddOptions(Command command)
    {
        foreach (var option in new Option[] { _driver, _subnet, _gateway, _internal, _label, _opt })
            command.Options.Add(option);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var request = BuildRequest(Positionals(parse)[0], parse.GetValue(_driver), parse.GetValue(_subnet) ?? [], parse.GetValue(_gateway) ?? [],
            parse.GetValue(_internal), parse.GetValue(_label), parse.GetValue(_opt));
        var client = await context.ConnectAsync(cancellationToken);
        var created = await client.SendJsonAsync(
            HttpClientRequest.Json("POST", client.Versioned("/networks/create"), request, ApiJsonContext.Default.NetworkCreateRequest),
            ApiJsonContext.Default.NetworkCreateResponse, cancellationToken);
        if (created.Warning.Length > 0)
            await context.Console.Err.WriteLineAsync(created.Warning);
        await context.Console.Out.WriteLineAsync(created.Id);
        return 0;
    }

    /// <summary>
    /// docker's request: driver "bridge" unless given, one IPAM config per --subnet, the i-th --gateway going with the
    /// i-th subnet (docker matches by containment; Berth's bridge driver takes one subnet, so order is the same thing).
    /// </summary>
    internal static NetworkCreateRequest BuildRequest(string name, string? driver, string[] subnets, string[] gateways, bool isInternal,
        string[]? labels, string[]? options)
    {
        if (gateways.Length > subnets.Length)
            throw new CliException(1, "every ip-range or gateway must have a corresponding subnet");
        var configs = new List<IpamConfig>();
        for (int i = 0; i < subnets.Length; i++)
            configs.Add(new IpamConfig { Subnet = subnets[i], Gateway = i < gateways.Length ? gateways[i] : null });
        return new NetworkCreateRequest
        {
            Name = name,
            Driver = driver is { Length: > 0 } ? driver : "bridge",
            Internal = isInternal,
            IPAM = new NetworkIpam { Driver = "default", Config = configs, Options = [] },
            Options = VolumeCreateCommand.Pairs(options),
            Labels = VolumeCreateCommand.Pairs(labels),
        };
    }
}
