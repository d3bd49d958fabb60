using System.Runtime.InteropServices;

namespace Berth.Cli.Output;

/// <summary>The client's OS/Arch as Go names them (linux/amd64) and its runtime.</summary>
internal static class Platform
{
    public static string Arch => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "386",
        Architecture.Arm => "arm",
        var other => other.ToString().ToLowerInvariant(),
    };

    public static string Runtime => RuntimeInformation.FrameworkDescription;
}
