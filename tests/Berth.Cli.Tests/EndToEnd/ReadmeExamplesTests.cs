using System.Diagnostics;
using NUnit.Framework;

namespace Berth.Cli.Tests.EndToEnd;

/// <summary>
/// Issue 11: every command in the README's "Using Berth" examples runs as written, against a test berthd (the
/// README's <c>export …=unix:///run/berth/berth.sock</c> lines are read, checked to name the default socket, and
/// pointed at the test daemon instead). Each line runs with <c>sh -c</c> in a scratch directory holding the
/// repository's <c>.fixtures</c>, with a bare <c>berth</c> on PATH as after <c>make install</c>; a line with
/// <c>-it</c> runs on a real pseudo-terminal and is answered with <c>exit</c>; a following <c>logs -f</c> is
/// stopped with Ctrl-C, as a reader would. Set-up lines (<c>make …</c>) are CI's own job. Other sections (registries)
/// need hosts a test cannot reach and are not run.
/// </summary>
[NonParallelizable]
public sealed class ReadmeExamplesTests
{
    private const string DefaultHost = "unix:///run/berth/berth.sock";
    private Berthd _daemon = null!;
    private string _work = null!;
    private readonly Dictionary<string, string> _environment = new() { ["TZ"] = "UTC" };

    [OneTimeSetUp]
    public async Task StartDaemon()
    {
        _daemon = await Berthd.StartAsync();
        _work = Directory.CreateTempSubdirectory("berth-readme-").FullName;
        string bin = Directory.CreateDirectory(Path.Combine(_work, ".bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "berth"), CliProcess.BerthPath);
        File.CreateSymbolicLink(Path.Combine(_work, ".fixtures"), Path.Combine(CliProcess.RepositoryRoot, ".fixtures"));
        global::Berth.TestImages.TestImages.Ensure();
        _environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        _environment["DOCKER_CONFIG"] = Directory.CreateDirectory(Path.Combine(_work, ".docker")).FullName;
    }

    [OneTimeTearDown]
    public async Task StopDaemon()
    {
        if (_daemon is not null)
        {
            TestContext.Progress.WriteLine("berthd's log, last lines:\n" + string.Join("\n", _daemon.Log.Split('\n').TakeLast(30)));
            var left = await CliProcess.RunAsync(CliProcess.BerthPath, ["ps", "-aq"], new Dictionary<string, string> { ["BERTH_HOST"] = _daemon.Host });
            string[] ids = left.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (ids.Length > 0)
                await CliProcess.RunAsync(CliProcess.BerthPath, ["rm", "-f", .. ids], new Dictionary<string, string> { ["BERTH_HOST"] = _daemon.Host });
            await _daemon.DisposeAsync();
        }
        if (_work is not null)
            Directory.Delete(_work, recursive: true);
    }

    /// <summary>The lines of the ```sh blocks between "## Using Berth" and the next heading.</summary>
    private static List<string> ExampleLines()
    {
        string[] readme = File.ReadAllLines(Path.Combine(CliProcess.RepositoryRoot, "README.md"));
        int start = Array.FindIndex(readme, line => line == "## Using Berth");
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "README has a \"## Using Berth\" section");
        var lines = new List<string>();
        bool inBlock = false;
        for (int i = start + 1; i < readme.Length && !readme[i].StartsWith('#'); i++)
        {
            if (readme[i].StartsWith("```", StringComparison.Ordinal))
                inBlock = !inBlock && readme[i] == "```sh";
            else if (inBlock && readme[i].Trim().Length > 0)
                lines.Add(readme[i].Trim());
        }
        return lines;
    }

    [Test]
    public async Task EveryExampleRunsAsWritten()
    {
        var lines = ExampleLines();
        Assert.That(lines, Has.Count.GreaterThan(10), "the examples were found");
        foreach (string line in lines)
        {
            TestContext.Progress.WriteLine("README: " + line);
            if (line.StartsWith("export ", StringComparison.Ordinal))
                Export(line);
            else if (line.Contains(" -it ", StringComparison.Ordinal))
                await RunOnATerminalAsync(line);
            else if (line.Contains(" logs -f ", StringComparison.Ordinal))
                await RunUntilInterruptedAsync(line);
            else
            {
                var result = await CliProcess.RunAsync("/bin/sh", ["-c", $"cd {_work} && {line}"], _environment, timeout: TimeSpan.FromSeconds(60));
                Assert.That(result.ExitCode, Is.Zero, $"`{line}`: {result}");
            }
        }
    }

    private void Export(string line)
    {
        string assignment = line["export ".Length..].Split('#')[0].Trim();
        int equals = assignment.IndexOf('=');
        string name = assignment[..equals], value = assignment[(equals + 1)..];
        Assert.That(value, Is.EqualTo(DefaultHost), $"`{line}` names berthd's default socket");
        _environment[name] = _daemon.Host;
    }

    private async Task RunOnATerminalAsync(string line)
    {
        await using var pty = PtyProcess.Start("/bin/sh", ["-c", $"cd {_work} && {line}"], _environment, 30, 100);
        await pty.WaitForAsync("/ # ");
        pty.Type("exit\r");
        Assert.That(await pty.WaitForExitAsync(), Is.Zero, $"`{line}`: {pty.Screen}");
    }

    private async Task RunUntilInterruptedAsync(string line)
    {
        var result = await CliProcess.RunAsync("/bin/sh", ["-c", $"cd {_work} && exec {line}"], _environment, null, TimeSpan.FromSeconds(30), async (process, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.That(process.HasExited, Is.False, $"`{line}` follows until interrupted");
            Signals.Send(process.Id, Signals.SIGINT);
        });
        Assert.That(result.Stderr, Is.Empty, $"`{line}`: {result}");
    }
}
