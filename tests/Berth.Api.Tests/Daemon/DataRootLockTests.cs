using Berth.Api.Tests.Infrastructure;
using NUnit.Framework;

namespace Berth.Api.Tests.Daemon;

/// <summary>One berthd per data root: a second one names the pid holding the lock and exits 1.</summary>
[NonParallelizable]
public sealed class DataRootLockTests
{
    [Test]
    public async Task ASecondDaemonOnTheSameDataRootFailsNamingThePidHoldingIt()
    {
        await using var first = await BerthDaemon.StartAsync();
        Assert.That(File.ReadAllText(Path.Combine(first.DataRoot, "berthd.lock")).Trim(), Is.EqualTo(first.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var (exitCode, output) = await BerthDaemon.RunToExitAsync(first.DataRoot, TimeSpan.FromSeconds(30));
        Assert.That(exitCode, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain($"in use by another berthd (pid {first.Pid})"));

        await using var api = first.Client();
        Assert.That((await api.GetAsync("/_ping")).Status, Is.EqualTo(200), "the first daemon is unaffected");
    }

    [Test]
    public async Task TheDaemonRefusesABadHostAndExits1()
    {
        RootRequirement.Check();
        var start = new System.Diagnostics.ProcessStartInfo(RepositoryPaths.Berthd) { RedirectStandardError = true, RedirectStandardOutput = true };
        string dataRoot = BerthDaemon.NewDataRoot();
        foreach (string arg in new[] { "-H", "http://nowhere", "--data-root", dataRoot, "--network-namespace", "none" })
            start.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(start)!;
        string output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(process.ExitCode, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("invalid host"));
        Leaks.DeleteDirectory(dataRoot);
    }
}
