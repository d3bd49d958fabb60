using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Files;
using Berth.Http;

namespace Berth.Cli.Commands;

/// <summary>
/// Where export and save write their tar, as docker does: stdout (never a terminal) or FILE, written beside it first
/// and renamed into place once complete (mode 0600).
/// </summary>
internal static class TarOutput
{
    /// <param name="output">-o's value, or null for stdout.</param>
    /// <param name="what">The beginning of the errors about the file ("failed to save image").</param>
    public static async Task WriteAsync(VerbContext context, string? output, string what, string pathAndQuery, CancellationToken cancellationToken)
    {
        if (output is null && context.Console.StdoutIsTerminal)
            throw new CliException(1, "cowardly refusing to save to a terminal. Use the -o flag or redirect");
        using var file = output is null ? null : AtomicOutputFile.Create(output, what);
        var client = await context.ConnectAsync(cancellationToken);
        using var response = await client.SendCheckedAsync(new HttpClientRequest("GET", client.Versioned(pathAndQuery)), cancellationToken);
        await response.Body.CopyToAsync(file?.Stream ?? context.Console.StdoutStream, cancellationToken);
        file?.Commit();
    }
}
