using System.Diagnostics;

namespace Berth.TestImages.Tests;

/// <summary>Runs installed tools (skopeo, umoci, zstd) for independent checks of the images.</summary>
internal static class Tool
{
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>The tool's full path, or ignores the test when it is not installed.</summary>
    public static string Require(string name)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
        if (path is null)
            Assert.Ignore($"{name} is not installed");
        return path!;
    }

    public static byte[] RunBytes(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(stdout);
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"{file} {string.Join(' ', args)}: {stderr.Result}");
        return stdout.ToArray();
    }

    public static string Run(string file, params string[] args) => System.Text.Encoding.UTF8.GetString(RunBytes(file, args));
}
