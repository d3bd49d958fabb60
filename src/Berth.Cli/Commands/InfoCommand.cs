using System.Text.Json;
using System.CommandLine;
using System.Text;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary><c>berth info</c>: GET /info, printed in the order and words of <c>docker info</c>; <c>-f json</c> prints the object.</summary>
public sealed class InfoCommand : Verb
{
    private readonly Option<string> _format = Flags.String("--format", "-f", "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.");

    public InfoCommand() : base("info", "info [OPTIONS]", "Display system-wide information", ArgsRule.None)
    {
    }

    protected override void AddOptions(Command command) => command.Options.Add(_format);

    public override async Task<int> ExecuteAsync(ParseResult parse, VerbContext context, CancellationToken cancellationToken)
    {
        string format = parse.GetValue(_format) ?? "";
        GoTemplate? template = null;
        if (format is not ("" or "json"))
        {
            try
            {
                template = GoTemplate.Parse(format);
            }
            catch (TemplateException e)
            {
                throw new CliException(64, "template parsing error: " + e.Message);
            }
        }
        var console = context.Console;
        if (template is not null)
        {
            var templateClient = await context.ConnectAsync(cancellationToken);
            using var document = JsonDocument.Parse(await templateClient.GetBytesAsync("/info", cancellationToken));
            string text;
            try
            {
                text = template.Execute(document.RootElement, missingKeyError: true);
            }
            catch (TemplateException e)
            {
                throw new CliException(1, e.Message);
            }
            await console.Out.WriteAsync(text + "\n");
            return 0;
        }
        if (format == "json")
        {
            var jsonClient = await context.ConnectAsync(cancellationToken);
            byte[] raw = await jsonClient.GetBytesAsync("/info", cancellationToken);
            await console.Out.WriteLineAsync(JsonText.Compact(raw));
            return 0;
        }
        await console.Out.WriteAsync($"Client:\n Version:    {ClientVersion.Version}\n Debug Mode: false\n\nServer:\n");
        var client = await context.ConnectAsync(cancellationToken);
        var info = await client.GetJsonAsync("/info", ApiJsonContext.Default.SystemInfo, cancellationToken);
        await console.Out.WriteAsync(Server(info));
        foreach (string warning in info.Warnings ?? [])
            await console.Err.WriteLineAsync(warning);
        return 0;
    }

    /// <summary>docker/cli prettyPrintServerInfo, without what Berth has no notion of (swarm details, containerd, plugins' commit ids).</summary>
    internal static string Server(SystemInfo info)
    {
        var text = new StringBuilder();
        void Line(string label, object value) => text.Append(label).Append(' ').Append(value).Append('\n');
        void NonEmpty(string label, string value)
        {
            if (value.Length > 0)
                Line(label, value);
        }
        Line(" Containers:", info.Containers);
        Line("  Running:", info.ContainersRunning);
        Line("  Paused:", info.ContainersPaused);
        Line("  Stopped:", info.ContainersStopped);
        Line(" Images:", info.Images);
        NonEmpty(" Server Version:", info.ServerVersion);
        NonEmpty(" Storage Driver:", info.Driver);
        foreach (var pair in info.DriverStatus.Where(p => p.Count >= 2))
            text.Append($"  {pair[0]}: {pair[1]}\n");
        NonEmpty(" Logging Driver:", info.LoggingDriver);
        NonEmpty(" Cgroup Driver:", info.CgroupDriver);
        NonEmpty(" Cgroup Version:", info.CgroupVersion);
        text.Append(" Plugins:\n");
        Line("  Volume:", string.Join(' ', info.Plugins.Volume));
        Line("  Network:", string.Join(' ', info.Plugins.Network));
        if (info.Plugins.Authorization is { Count: > 0 } authorization)
            Line("  Authorization:", string.Join(' ', authorization));
        Line("  Log:", string.Join(' ', info.Plugins.Log));
        Line(" Swarm:", info.Swarm.LocalNodeState);
        if (info.Runtimes.Count > 0)
        {
            Line(" Runtimes:", string.Join(' ', info.Runtimes.Keys.Order(StringComparer.Ordinal)));
            Line(" Default Runtime:", info.DefaultRuntime);
        }
        if (info.OSType == "linux")
        {
            NonEmpty(" Init Binary:", info.InitBinary);
            if (info.SecurityOptions.Count > 0)
            {
                text.Append(" Security Options:\n");
                foreach (string option in info.SecurityOptions)
                {
                    var pairs = option.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToList();
                    string name = pairs.FirstOrDefault(p => p[0] == "name")?[1] ?? option;
                    text.Append("  ").Append(name).Append('\n');
                    if (pairs.FirstOrDefault(p => p[0] == "profile") is { } profile)
                        text.Append("   Profile: ").Append(profile[1]).Append('\n');
                }
            }
        }
        NonEmpty(" Kernel Version:", info.KernelVersion);
        NonEmpty(" Operating System:", info.OperatingSystem);
        NonEmpty(" OSType:", info.OSType);
        NonEmpty(" Architecture:", info.Architecture);
        Line(" CPUs:", info.NCPU);
        Line(" Total Memory:", HumanUnits.BytesSize(info.MemTotal));
        NonEmpty(" Name:", info.Name);
        NonEmpty(" ID:", info.ID);
        Line(" Docker Root Dir:", info.DockerRootDir);
        Line(" Debug Mode:", info.Debug ? "true" : "false");
        NonEmpty(" HTTP Proxy:", info.HttpProxy);
        NonEmpty(" HTTPS Proxy:", info.HttpsProxy);
        NonEmpty(" No Proxy:", info.NoProxy);
        if (info.Labels.Count > 0)
        {
            text.Append(" Labels:\n");
            foreach (string label in info.Labels)
                text.Append("  ").Append(label).Append('\n');
        }
        Line(" Experimental:", info.ExperimentalBuild ? "true" : "false");
        Line(" Live Restore Enabled:", info.LiveRestoreEnabled ? "true" : "false");
        text.Append('\n');
        return text.ToString();
    }
}
