using System.CommandLine;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Options;
using Berth.Http;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth update [OPTIONS] CONTAINER...</c>: POST /containers/{name}/update with docker/cli's body (every resource field,
/// zero meaning "unchanged"; PidsLimit only when given), one container after the other; prints each name updated, then
/// the daemon's warnings; the errors end it with 1.
/// </summary>
public sealed class UpdateCommand : Verb
{
    private readonly Option<string> _cpuShares = Flags.String("--cpu-shares", "-c", "CPU shares (relative weight)", "int");
    private readonly Option<string> _cpus = Flags.String("--cpus", null, "Number of CPUs", "decimal");
    private readonly Option<string> _memory = Flags.String("--memory", "-m", "Memory limit", "bytes");
    private readonly Option<string> _memorySwap = Flags.String("--memory-swap", null, "Swap limit equal to memory plus swap: -1 to enable unlimited swap", "bytes");
    private readonly Option<string> _pidsLimit = Flags.String("--pids-limit", null, "Tune container pids limit (set -1 for unlimited)", "int");
    private readonly Option<string> _restart = Flags.String("--restart", null, "Restart policy to apply when a container exits");

    public UpdateCommand() : base("update", "update [OPTIONS] CONTAINER [CONTAINER...]", "Update configuration of one or more containers", ArgsRule.AtLeast(1))
    {
    }

    protected override void AddOptions(Command command)
    {
        foreach (var option in new Option[] { _cpuShares, _cpus, _memory, _memorySwap, _pidsLimit, _restart })
            command.Options.Add(option);
    }

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        var request = new ContainerUpdateRequest
        {
            Memory = parse.GetValue(_memory) is { } memory ? Flags.Convert(_memory, memory, MemorySize.Parse) : 0,
            MemorySwap = parse.GetValue(_memorySwap) is { } swap ? Flags.Convert(_memorySwap, swap, v => v == "-1" ? -1 : MemorySize.Parse(v)) : 0,
            NanoCpus = parse.GetValue(_cpus) is { } cpus ? Flags.Convert(_cpus, cpus, NanoCpus.Parse) : 0,
            CpuShares = parse.GetValue(_cpuShares) is { } shares ? Flags.ParseInt(_cpuShares, shares) : 0,
            PidsLimit = parse.GetValue(_pidsLimit) is { } pids ? Flags.ParseInt(_pidsLimit, pids) : null,
        };
        if (parse.GetValue(_restart) is { } restart)
        {
            try
            {
                request.RestartPolicy = RestartPolicyOption.Parse(restart);
            }
            catch (FlagValueException e)
            {
                throw new CliException(1, e.Message);
            }
        }
        if (!new Option[] { _cpuShares, _cpus, _memory, _memorySwap, _pidsLimit, _restart }.Any(o => parse.GetResult(o) is { Implicit: false }))
            throw new CliException(1, "you must provide one or more flags when using this command");

        var client = await context.ConnectAsync(cancellationToken);
        var warnings = new List<string>();
        var errors = new List<string>();
        foreach (string name in Positionals(parse))
        {
            try
            {
                var message = HttpClientRequest.Json("POST", client.Versioned($"/containers/{QueryString.EscapePath(name)}/update"), request, ApiJsonContext.Default.ContainerUpdateRequest);
                var response = await client.SendJsonAsync(message, ApiJsonContext.Default.ContainerUpdateResponse, cancellationToken);
                await context.Console.Out.WriteLineAsync(name);
                warnings.AddRange(response.Warnings ?? []);
            }
            catch (Exception e) when (e is DaemonErrorException or IOException)
            {
                errors.Add(e.Message);
            }
        }
        if (warnings.Count > 0)
            await context.Console.Out.WriteLineAsync(string.Join("\n", warnings));
        if (errors.Count > 0)
            throw new CliException(1, string.Join("\n", errors));
        return 0;
    }
}
