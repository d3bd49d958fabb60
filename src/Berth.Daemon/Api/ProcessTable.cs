using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Api;
using Berth.Http;

namespace Berth.Daemon.Api;

/// <summary>
/// `docker top`, as moby's daemon/top_unix.go does it: the host's ps (procps) with the client's arguments
/// (default <c>-ef</c>) and <c>-q</c> with the container's host pids (retried without <c>-q</c> when the
/// arguments do not allow it), then the header and only the rows whose PID column is one of those pids
/// (and the thread rows, PID "-", that follow one of them).
/// </summary>
public static partial class ProcessTable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>moby's validatePSArgs: a renamed column such as <c>-o x=PID</c> would fool the PID lookup.</summary>
    public static void ValidateArguments(string psArgs)
    {
        foreach (Match match in RenamedPid().Matches(psArgs))
            if (match.Groups[1].Value != "pid")
                throw new ApiException(400, $"specifying \"{match.Groups[1].Value}={match.Groups[2].Value}\" is not allowed");
    }

    public static async Task<ContainerTopResponse> ReadAsync(string psArgs, IReadOnlyList<int> pids, CancellationToken ct)
    {
        string[] args = psArgs.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var (exitCode, output, error) = await RunPsAsync([.. args, "-q" + string.Join(',', pids)], ct);
        if (exitCode != 0)
            (exitCode, output, error) = await RunPsAsync(args, ct);
        if (exitCode != 0)
        {
            string firstLine = error.Split('\n')[0];
            throw new ApiException(500, "ps: " + (firstLine.Length > 0 ? firstLine : $"exit status {exitCode}"));
        }
        return Parse(output, pids);
    }

    /// <summary>moby's parsePSOutput: titles from the first line; rows of the container's pids, their last field holding the rest of the line.</summary>
    public static ContainerTopResponse Parse(string output, IReadOnlyList<int> pids)
    {
        string[] lines = output.Split('\n');
        var table = new ContainerTopResponse { Titles = Fields(lines[0]) };
        int pidIndex = table.Titles.IndexOf("PID");
        if (pidIndex < 0)
            throw new ApiException(500, "Couldn't find PID field in ps output");
        bool previousWasOurs = false;
        foreach (string line in lines.Skip(1))
        {
            if (line.Length == 0)
                continue;
            var fields = Fields(line);
            if (fields.Count <= pidIndex)
                continue;
            if (fields[pidIndex] == "-")
            {
                if (previousWasOurs)
                    table.Processes.Add(Row(fields, table.Titles.Count));
                continue;
            }
            if (!int.TryParse(fields[pidIndex], NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                throw new ApiException(500, $"Unexpected pid '{fields[pidIndex]}'");
            previousWasOurs = pids.Contains(pid);
            if (previousWasOurs)
                table.Processes.Add(Row(fields, table.Titles.Count));
        }
        return table;
    }

    /// <summary>As many fields as there are titles: the last one takes the rest of the line (the command with its arguments).</summary>
    private static List<string> Row(List<string> fields, int titles)
    {
        if (fields.Count <= titles)
            return fields;
        var row = fields.Take(titles - 1).ToList();
        row.Add(string.Join(' ', fields.Skip(titles - 1)));
        return row;
    }

    /// <summary>Fields split on ASCII white space only, as moby's fieldsASCII.</summary>
    private static List<string> Fields(string line) =>
        line.Split([' ', '\t', '\r', '\v', '\f'], StringSplitOptions.RemoveEmptyEntries).ToList();

    private static async Task<(int ExitCode, string Output, string Error)> RunPsAsync(string[] args, CancellationToken ct)
    {
        var start = new ProcessStartInfo("ps")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ApiException(500, "ps: could not be started");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ApiException(500, $"ps: {e.Message} (docker top needs procps' ps on the host)");
        }
        using (process)
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var error = process.StandardError.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                throw new ApiException(500, $"ps {string.Join(' ', args)} did not finish within {Timeout.TotalSeconds:0} s");
            }
            return (process.ExitCode, await output, await error);
        }
    }

    [GeneratedRegex(@"\s+([^\s]*)=\s*(PID[^\s]*)")]
    private static partial Regex RenamedPid();
}
