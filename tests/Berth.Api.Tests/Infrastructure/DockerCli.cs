using System.Diagnostics;
using NUnit.Framework;

namespace Berth.Api.Tests.Infrastructure;

/// <summary>The real docker CLI against a berthd socket, with a private config directory and a timeout: never hangs.</summary>
public sealed class DockerCli(string socketPath, string configDirectory)
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

    public ProcessStartInfo StartInfo(params string[] args)
    {
        var start = new ProcessStartInfo(Executable!)
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

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Where(dir => dir.Length > 0)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
