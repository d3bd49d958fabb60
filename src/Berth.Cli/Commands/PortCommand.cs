using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth port CONTAINER [PRIVATE_PORT[/PROTO]]</c>: the published ports from inspect's NetworkSettings.Ports, as
/// docker/cli's port.go prints them: "80/tcp -> 0.0.0.0:8080" per binding, or only "0.0.0.0:8080" for one port, sorted.
/// </summary>
public sealed class PortCommand : Verb
{
    public PortCommand() : base("port", "port CONTAINER [PRIVATE_PORT[/PROTO]]", "List port mappings or a specific mapping for the container", new ArgsRule(1, 2))
    {
    }

    protected override void AddOptions(Command command)
    {
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var positionals = Positionals(parse);
        string name = positionals[0];
        var client = await context.ConnectAsync(cancellationToken);
        var container = await client.GetJsonAsync($"/containers/{QueryString.EscapePath(name)}/json", ApiJsonContext.Default.ContainerInspectResponse, cancellationToken);
        var ports = container.NetworkSettings?.Ports ?? [];
        var lines = new List<string>();
        if (positionals.Length == 2)
        {
            string key = positionals[1].Contains('/', StringComparison.Ordinal) ? positionals[1] : positionals[1] + "/tcp";
            if (!ports.TryGetValue(key, out var bindings) || bindings is not { Count: > 0 })
                throw new CliException(1, $"Error: No public port '{key}' published for {name}");
            lines.AddRange(bindings.Select(Address));
        }
        else
        {
            foreach (var (key, bindings) in ports)
                lines.AddRange((bindings ?? []).Select(b => $"{key} -> {Address(b)}"));
        }
        lines.Sort(StringComparer.Ordinal);
        await context.Console.Out.WriteAsync(string.Concat(lines.Select(l => l + "\n")));
        return 0;
    }

    /// <summary>net.JoinHostPort: an IPv6 host in brackets.</summary>
    private static string Address(PortBinding binding) =>
        (binding.HostIp.Contains(':', StringComparison.Ordinal) ? $"[{binding.HostIp}]" : binding.HostIp) + ":" + binding.HostPort;
}
