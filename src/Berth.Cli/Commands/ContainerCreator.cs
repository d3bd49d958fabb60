using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.Options;
using Berth.Cli.Output;
using Berth.Common;
using Berth.Http;

namespace Berth.Cli.Commands;

/// <summary>
/// docker/cli createContainer: POST /containers/create; on 404 (no such image) "Unable to find image 'x:tag'
/// locally", a pull (POST /images/create with the fully qualified name) rendered on stderr, and create again.
/// Warnings are printed as "WARNING: …".
/// </summary>
internal static class ContainerCreator
{
    public static async Task<string> CreateAsync(DaemonClient client, ContainerCreateRequest request, string? name, CliConsole console, CancellationToken cancellationToken)
    {
        if (!CliReference.TryParse(request.Image, out var reference, out string? referenceError))
            throw new CommandLine.CliException(1, referenceError ?? "invalid reference format");
        ContainerCreateResponse response;
        try
        {
            response = await SendCreateAsync(client, request, name, cancellationToken);
        }
        catch (DaemonErrorException e) when (e.IsNotFound && e.DaemonMessage.Contains("image", StringComparison.OrdinalIgnoreCase))
        {
            await console.Err.WriteLineAsync($"Unable to find image '{reference.WithDefaultTag().FamiliarString}' locally");
            await PullAsync(client, reference, console, cancellationToken);
            response = await SendCreateAsync(client, request, name, cancellationToken);
        }
        foreach (string warning in response.Warnings)
            await console.Err.WriteLineAsync("WARNING: " + warning);
        return response.Id;
    }

    private static Task<ContainerCreateResponse> SendCreateAsync(DaemonClient client, ContainerCreateRequest request, string? name, CancellationToken cancellationToken)
    {
        var query = new QueryString();
        if (name is not null)
            query.Set("name", name);
        var message = HttpClientRequest.Json("POST", client.Versioned("/containers/create" + query), request, ApiJsonContext.Default.ContainerCreateRequest);
        return client.SendJsonAsync(message, ApiJsonContext.Default.ContainerCreateResponse, cancellationToken);
    }

    /// <summary>POST /images/create?fromImage=docker.io%2Flibrary%2Fbusybox&amp;tag=latest with anonymous registry auth.</summary>
    private static async Task PullAsync(DaemonClient client, ImageReference reference, CliConsole console, CancellationToken cancellationToken)
    {
        var query = new QueryString().Set("fromImage", reference.Name).Set("tag", CliReference.ApiTag(reference));
        var request = new HttpClientRequest("POST", client.Versioned("/images/create" + query));
        request.Headers.Set("X-Registry-Auth", "e30=");
        using var response = await client.SendCheckedAsync(request, cancellationToken);
        await new JsonMessageRenderer(console.Err, console.StderrIsTerminal, console.TerminalSize().Width).RenderAsync(response.Body, cancellationToken);
    }
}
