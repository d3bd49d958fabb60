namespace Berth.Cli.Output;

/// <summary>moby jsonmessage <c>JSONProgress.String()</c>: "[=====>      ]  1.2MB/4.3MB"; the bar only on terminals wider than 110 columns.</summary>
internal static class ProgressBar
{
    public static string Format(long current, long total, int width)
    {
        if (current <= 0 && total <= 0)
            return "";
        if (total <= 0)
            return HumanUnits.Size(current).PadLeft(8);
        int percentage = Math.Min((int)((double)current / total * 100) / 2, 50);
        string bar = width > 110 ? $"[{new string('=', percentage)}>{new string(' ', Math.Max(50 - percentage, 0))}] " : "";
        string numbers = current > total
            ? HumanUnits.Size(current).PadLeft(8)
            : HumanUnits.Size(current).PadLeft(8) + "/" + HumanUnits.Size(total);
        return bar + numbers;
    }
}
