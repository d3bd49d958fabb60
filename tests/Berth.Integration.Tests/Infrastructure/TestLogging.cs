using Microsoft.Extensions.Logging;

namespace Berth.Integration.Tests.Infrastructure;

public static class TestLogging
{
    public static ILoggerFactory Factory { get; } = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
}
