using System.Diagnostics;

namespace Berth.Network.Tests;

/// <summary>
/// A network namespace created for one test with `ip netns add` under a unique name, deleted (with every
/// interface in it) on dispose. Nothing a test does touches the machine's own namespace.
/// </summary>
internal sealed class TestNamespace : IDisposable
{
    public TestNamespace(string role)
    {
        Name = $"bnt-{role}-{Guid.NewGuid().ToString("N")[..8]}";
        Ip("netns", "add", Name);
    }

    public string Name { get; }

    public string Path => "/run/netns/" + Name;

    /// <summary>Runs `ip -n NAME args...` and returns its output; throws with stderr on failure.</summary>
    public string In(params string[] args) => Ip(["-n", Name, .. args]);

    public static string Ip(params string[] args)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ip {string.Join(' ', args)}: {error.Trim()}");
        return output;
    }

    public void Dispose() => Ip("netns", "del", Name);
}
