using System.Text;
using Berth.Api;
using Berth.Cli.Api;
using Berth.Cli.CommandLine;
using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary>
/// What docker's prune commands share: the confirmation prompt on stdout answered on stdin, the list of what was
/// deleted ("Deleted Containers:" and one id a line) and the "Total reclaimed space:" line.
/// </summary>
internal static class PruneReport
{
    /// <summary>
    /// docker's prompt.Confirm: "y" or "Y" (surrounding spaces ignored) confirms; anything else or the end of input
    /// cancels, and docker 28 then exits 0 without a word (measured with 28.2.2).
    /// </summary>
    public static async Task<bool> ConfirmedAsync(VerbContext context, string warning, CancellationToken cancellationToken)
    {
        await context.Console.Out.WriteAsync(warning + " [y/N] ");
        await context.Console.Out.FlushAsync(cancellationToken);
        var line = new List<byte>();
        var buffer = new byte[1];
        while (await context.Console.StdinStream.ReadAsync(buffer, cancellationToken) == 1 && buffer[0] != (byte)'\n')
            line.Add(buffer[0]);
        return Encoding.UTF8.GetString([.. line]).Trim() is "y" or "Y";
    }

    /// <summary>POST <paramref name="path"/> with the filters, docker's <c>*Prune</c> client calls.</summary>
    public static Task<T> PostAsync<T>(DaemonClient client, string path, QueryString query, FilterArgs filters,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        client.SendJsonAsync(new Berth.Http.HttpClientRequest("POST", client.Versioned(path + query.Filters(filters))), typeInfo, cancellationToken);

    /// <summary>"Deleted Volumes:\nname\n", or "" when nothing was deleted (docker prints no heading then).</summary>
    public static string Deleted(string heading, IEnumerable<string>? items)
    {
        var list = items?.ToList() ?? [];
        return list.Count == 0 ? "" : heading + "\n" + string.Concat(list.Select(i => i + "\n"));
    }

    /// <summary>The output (with the empty line Println adds) and, unless null, the reclaimed space.</summary>
    public static Task WriteAsync(VerbContext context, string output, long? spaceReclaimed)
    {
        var text = new StringBuilder();
        if (output.Length > 0)
            text.Append(output).Append('\n');
        if (spaceReclaimed is long space)
            text.Append("Total reclaimed space: ").Append(HumanUnits.Size(space)).Append('\n');
        return context.Console.Out.WriteAsync(text.ToString());
    }
}
