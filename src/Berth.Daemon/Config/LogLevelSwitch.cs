using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Config;

/// <summary>berthd's current log level, read by the logger's filter on every message, so SIGHUP can change it.</summary>
public sealed class LogLevelSwitch(LogLevel level)
{
    private volatile int _level = (int)level;

    public LogLevel Level
    {
        get => (LogLevel)_level;
        set => _level = (int)value;
    }

    public bool IsEnabled(LogLevel level) => level >= Level;
}
