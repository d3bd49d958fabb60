using System.Diagnostics;
using System.Text;
using NUnit.Framework;

namespace Berth.Cli.Tests;

/// <summary>Runs the published berth (or docker) as a process with a timeout: a test never hangs on it.</summary>
internal static class CliProcess
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    /// <summary>artifacts/bin/berth, published by `make`.</summary>
    public static string BerthPath
    {
        get
        {
            string path = Path.Combine(RepositoryRoot, "artifacts", "bin", "berth");
            if (!File.Exists(path))
                Assert.Fail($"{path} is missing: run `make` first (it publishes the NativeAOT berth)");
            return path;
        }
    }

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Runtime.sln")))
                    return dir.FullName;
            throw new InvalidOperationException("no Runtime.sln above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>docker's own name as berth says it: "docker: …" and "'docker run --help'" (not the daemon's words).</summary>
    public static string AsBerth(string dockerText) =>
        System.Text.RegularExpressions.Regex.Replace(dockerText, @"(^|\n)docker: ", "$1berth: ").Replace("'docker ", "'berth ").Replace("Usage:  docker ", "Usage:  berth ");

    public static string? DockerPath => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Where(dir => dir.Length > 0).Select(dir => Path.Combine(dir, "docker")).FirstOrDefault(File.Exists);

    /// <summary>The environment a client gets: the host variables cleared, then <paramref name="environment"/>.</summary>
    public static Task<Result> RunAsync(string executable, IEnumerable<string> args, IDictionary<string, string> environment,
        string? stdin = null, TimeSpan? timeout = null) => RunAsync(executable, args, environment, stdin, timeout, (_, _) => Task.CompletedTask);

    /// <summary>
    /// Runs the process; <paramref name="whileRunning"/> gets it and a function that returns its stdout so far,
    /// for a test that acts while it runs (signals it once some output has come).
    /// </summary>
    public static async Task<Result> RunAsync(string executable, IEnumerable<string> args, IDictionary<string, string> environment,
        string? stdin, TimeSpan? timeout, Func<Process, Func<string>, Task> whileRunning)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        foreach (string name in new[] { "DOCKER_HOST", "BERTH_HOST", "DOCKER_CONTEXT", "DOCKER_API_VERSION", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH" })
            start.Environment.Remove(name);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdoutText = new StringBuilder();
        var stdout = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int read;
            while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
                lock (stdoutText)
                    stdoutText.Append(buffer, 0, read);
            lock (stdoutText)
                return stdoutText.ToString();
        });
        string StdoutSoFar()
        {
            lock (stdoutText)
                return stdoutText.ToString();
        }
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
            await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        try
        {
            await whileRunning(process, StdoutSoFar).WaitAsync(timeout ?? DefaultTimeout);
            await process.WaitForExitAsync().WaitAsync(timeout ?? DefaultTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"{Path.GetFileName(executable)} {string.Join(' ', args)} did not finish within {(timeout ?? DefaultTimeout).TotalSeconds} s\n"
                        + $"stdout:\n{await stdout}\nstderr:\n{await stderr}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
