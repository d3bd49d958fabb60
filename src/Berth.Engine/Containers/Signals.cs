using System.Globalization;

namespace Berth.Engine.Containers;

/// <summary>Linux (x86-64) signal names and numbers, parsed the way Docker accepts them: "TERM", "SIGTERM", "15", "RTMIN+3".</summary>
public static class Signals
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    private static readonly string[] Names =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM",
        "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF",
        "WINCH", "IO", "PWR", "SYS",
    ];

    private const int RtMin = 34;
    private const int RtMax = 64;

    public static int Parse(string value)
    {
        if (TryParse(value, out int signal))
            return signal;
        throw new InvalidParameterException($"Invalid signal: {value}");
    }

    public static bool TryParse(string value, out int signal)
    {
        signal = 0;
        string name = value.Trim().ToUpperInvariant();
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            signal = number;
            return number is > 0 and <= RtMax;
        }
        if (name.StartsWith("SIG", StringComparison.Ordinal))
            name = name[3..];
        int index = Array.IndexOf(Names, name);
        if (index > 0)
        {
            signal = index;
            return true;
        }
        if (name == "IOT")
            return (signal = 6) > 0;
        if (name == "POLL")
            return (signal = 29) > 0;
        return TryParseRealtime(name, out signal);
    }

    private static bool TryParseRealtime(string name, out int signal)
    {
        signal = 0;
        if (name == "RTMIN")
            signal = RtMin;
        else if (name == "RTMAX")
            signal = RtMax;
        else if (name.StartsWith("RTMIN+", StringComparison.Ordinal) && int.TryParse(name[6..], out int plus))
            signal = RtMin + plus;
        else if (name.StartsWith("RTMAX-", StringComparison.Ordinal) && int.TryParse(name[6..], out int minus))
            signal = RtMax - minus;
        return signal is >= RtMin and <= RtMax;
    }

    public static string Name(int signal) =>
        signal > 0 && signal < Names.Length ? "SIG" + Names[signal] : signal.ToString(CultureInfo.InvariantCulture);
}
