using System.Diagnostics;
using NUnit.Framework;

namespace Berth.Api.Tests.Infrastructure;

/// <summary>
/// The real docker CLI against a berthd socket, with a private config directory and a timeout: never hangs. Given
/// another <paramref name="executable"/> (the berth CLI, which reads the same DOCKER_HOST and DOCKER_CONFIG), the same.
/// </summary>
public sealed class DockerCli(string socketPath, string configDirectory, string? executable = null)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static string? Executable { get; } = FindOnPath("docker");

    /// <summary>Skips the test, saying why, when docker is not on PATH.</summary>
    public static void Require()
    {
        if (Executable is null)
        {
            TestContext.Out.WriteLine("skipped: the docker CLI is not on PATH");
            Assert.Ignore("the docker CLI is not on PATH");
        }
    }

    /// <summary>Extra environment of every run (DOCKER_BUILDKIT=0 for the classic builder).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public ProcessStartInfo StartInfo(params string[] args)
    {
        var start = new ProcessStartInfo(executable ?? Executable!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["DOCKER_HOST"] = "unix://" + socketPath;
        start.Environment["DOCKER_CONFIG"] = configDirectory;
        start.Environment.Remove("DOCKER_CONTEXT");
        start.Environment.Remove("DOCKER_API_VERSION");
        foreach (var (key, value) in Environment)
            start.Environment[key] = value;
        return start;
    }

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(null, DefaultTimeout, args);

    /// <summary>Runs docker, writes <paramref name="stdin"/> (then closes it), and returns exit code and output.</summary>
    public async Task<CliResult> RunAsync(string? stdin, TimeSpan timeout, params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
            await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"`docker {string.Join(' ', args)}` did not finish within {timeout}; stdout: {await stdout} stderr: {await stderr}");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Whether util-linux's script is there to give the CLI a terminal.</summary>
    public static void RequireScript()
    {
        if (FindOnPath("script") is null)
        {
            TestContext.Out.WriteLine("skipped: script (util-linux) is not on PATH, no terminal for the CLI");
            Assert.Ignore("script (util-linux) is not on PATH");
        }
    }

    /// <summary>
    /// Runs docker on a terminal: <c>script -qfec "stty rows R cols C; [prelude;] docker ARGS" /dev/null</c>, with
    /// <paramref name="input"/> typed on the terminal (stdin stays open until docker exits). Returns script's exit
    /// code (docker's, with -e) and everything the terminal showed (typed input echoed too, lines ending in \r\n).
    /// </summary>
    public async Task<CliResult> RunInTerminalAsync(string input, (int Rows, int Columns) size, TimeSpan timeout, string? prelude, params string[] args)
    {
        string command = $"stty rows {size.Rows} cols {size.Columns}; {(prelude is null ? "" : prelude + (prelude.EndsWith('&') ? " " : "; "))}{Quote(Executable!)} {string.Join(' ', args.Select(Quote))}";
        var start = StartInfo();
        start.FileName = FindOnPath("script") ?? "script";
        foreach (string arg in new[] { "-qfec", command, "/dev/null" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        await process.StandardInput.FlushAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"`{command}` on a terminal did not finish within {timeout}; it showed: {await stdout} {await stderr}");
        }
        finally
        {
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // script is gone and did not read the rest.
            }
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A word for sh, in single quotes.</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string? FindOnPath(string name) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Where(dir => dir.Length > 0)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
