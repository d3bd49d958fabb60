using System.CommandLine;
using System.Text;
using System.Text.Json;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth version</c>: the Client section, then GET /version as the Server section, laid out like docker's
/// (tabwriter, values at column 20). "Go version" becomes "Runtime" (.NET). <c>-f json</c> prints one object.
/// </summary>
public sealed class VersionCommand : Verb
{
    private readonly Option<string> _format = Flags.String("--format", "-f", "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.");

    public VersionCommand() : base("version", "version [OPTIONS]", "Show the Berth version information", ArgsRule.None)
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
                template = GoTemplate.Parse(format, "version");
            }
            catch (TemplateException e)
            {
                throw new CliException(64, "template parsing error: " + e.Message);
            }
        }
        SystemVersion? server = null;
        string apiVersion = ApiVersionNumber.Client;
        Exception? failure = null;
        try
        {
            var client = await context.ConnectAsync(cancellationToken);
            apiVersion = client.ApiVersion;
            server = await client.GetJsonAsync("/version", ApiJsonContext.Default.SystemVersion, cancellationToken);
        }
        catch (Exception e) when (e is DaemonUnavailableException or DaemonErrorException or IOException)
        {
            failure = e;
        }
        await context.Console.Out.WriteAsync(template is not null ? Templated(template, apiVersion, server)
            : format == "json" ? Json(apiVersion, server) + "\n"
            : Text(apiVersion, server));
        if (failure is not null)
            throw failure;
        return 0;
    }

    internal static string Text(string apiVersion, SystemVersion? server)
    {
        var text = new TabWriter(20, 1);
        text.Write("Client:\n");
        text.Write($" Version:\t{ClientVersion.Version}\n");
        text.Write($" API version:\t{apiVersion}{(apiVersion != ApiVersionNumber.Client ? $" (downgraded from {ApiVersionNumber.Client})" : "")}\n");
        text.Write($" Runtime:\t{Platform.Runtime}\n");
        text.Write($" Git commit:\t{ClientVersion.GitCommit}\n");
        text.Write($" OS/Arch:\tlinux/{Platform.Arch}\n");
        if (server is not null)
        {
            text.Write("\nServer:" + (server.Platform.Name.Length > 0 ? " " + server.Platform.Name : "") + "\n");
            foreach (var component in Components(server))
            {
                text.Write($" {component.Name}:\n");
                var details = component.Details ?? [];
                if (component.Name == "Engine")
                {
                    text.Write($"  Version:\t{component.Version}\n");
                    text.Write($"  API version:\t{Get(details, "ApiVersion")} (minimum version {Get(details, "MinAPIVersion")})\n");
                    text.Write($"  Runtime:\t{Get(details, "GoVersion")}\n");
                    text.Write($"  Git commit:\t{Get(details, "GitCommit")}\n");
                    text.Write($"  Built:\t{ReformatDate(Get(details, "BuildTime"))}\n");
                    text.Write($"  OS/Arch:\t{Get(details, "Os")}/{Get(details, "Arch")}\n");
                    text.Write($"  Experimental:\t{Get(details, "Experimental")}\n");
                }
                else
                {
                    text.Write($"  Version:\t{component.Version}\n");
                    foreach (var (key, value) in details.OrderBy(d => d.Key, StringComparer.Ordinal))
                        text.Write($"  {key}:\t{value}\n");
                }
            }
        }
        text.Write("\n");
        return text.ToString();
    }

    /// <summary>The server's components, with an Engine made from the top-level fields when the daemon lists none.</summary>
    private static List<ComponentVersion> Components(SystemVersion server)
    {
        var components = server.Components.ToList();
        if (!components.Any(c => c.Name == "Engine"))
            components.Add(new ComponentVersion
            {
                Name = "Engine",
                Version = server.Version,
                Details = new Dictionary<string, string>
                {
                    ["ApiVersion"] = server.ApiVersion,
                    ["MinAPIVersion"] = server.MinAPIVersion,
                    ["GitCommit"] = server.GitCommit,
                    ["GoVersion"] = server.GoVersion,
                    ["Os"] = server.Os,
                    ["Arch"] = server.Arch,
                    ["BuildTime"] = server.BuildTime,
                    ["Experimental"] = server.Experimental ? "true" : "false",
                },
            });
        return components;
    }

    private static string Get(Dictionary<string, string> details, string key) => details.TryGetValue(key, out var value) ? value : "";

    /// <summary>docker's reformatDate: an RFC3339 time in Go's ANSIC layout, anything else as it is.</summary>
    private static string ReformatDate(string value) =>
        DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var time) && value.Contains('T')
            ? GoTime.Ansic(time)
            : value;

    /// <summary>A custom template on docker's versionInfo {Client, Server}, aligned by a tabwriter (20, 1, 1).</summary>
    private static string Templated(GoTemplate template, string apiVersion, SystemVersion? server)
    {
        using var document = JsonDocument.Parse(Json(apiVersion, server));
        try
        {
            return new TabWriter(20, 1).Write(template.Execute(document.RootElement, missingKeyError: true) + "\n").ToString();
        }
        catch (TemplateException e)
        {
            throw new CliException(1, e.Message);
        }
    }

    private static string Json(string apiVersion, SystemVersion? server)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("Client");
            writer.WriteString("Version", ClientVersion.Version);
            writer.WriteString("ApiVersion", apiVersion);
            writer.WriteString("DefaultAPIVersion", ApiVersionNumber.Client);
            writer.WriteString("GitCommit", ClientVersion.GitCommit);
            writer.WriteString("GoVersion", Platform.Runtime);
            writer.WriteString("Os", "linux");
            writer.WriteString("Arch", Platform.Arch);
            writer.WriteEndObject();
            writer.WritePropertyName("Server");
            if (server is null)
                writer.WriteNullValue();
            else
                JsonSerializer.Serialize(writer, server, ApiJsonContext.Default.SystemVersion);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
