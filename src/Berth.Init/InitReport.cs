using System.Text;
using static Tmds.Linux.LibC;

namespace Berth.Init;

/// <summary>The report pipe to berthd (fd 3): closed on exec of the command, or one "error" line.</summary>
public static unsafe class InitReport
{
    public const int ReportFd = 3;
    public const int SpecFd = 4;

    public static void Error(int exitCode, string message)
    {
        byte[] line = Encoding.UTF8.GetBytes($"error {exitCode} {message.Replace('\n', ' ')}\n");
        fixed (byte* p = line)
            write(ReportFd, p, line.Length);
    }

    /// <summary>Marks the report pipe close-on-exec, so berthd reads end-of-file once the command runs.</summary>
    public static void CloseOnExec()
    {
        if (fcntl(ReportFd, F_SETFD, FD_CLOEXEC) == -1)
            throw new InitException(InitException.SetupFailed, "fcntl FD_CLOEXEC on the report pipe failed");
    }
}
