using System.Diagnostics;

namespace Berth.TestImages;

/// <summary>Runs an external tool (apt-get, dpkg, chroot) and captures its output.</summary>
internal static class Command
{
    public static (int ExitCode, string Output) Run(string file, string? workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    public static string Check(string file, string? workingDirectory, params string[] args)
    {
        var (exitCode, output) = Run(file, workingDirectory, args);
        if (exitCode != 0)
            throw new InvalidOperationException($"`{file} {string.Join(' ', args)}` exited {exitCode}: {output.Trim()}");
        return output;
    }
}
