namespace Berth.Cli.Api;

/// <summary>An error answer of the daemon: its status and the <c>message</c> of its body. Prints as docker does.</summary>
public sealed class DaemonErrorException : Exception
{
    public DaemonErrorException(int statusCode, string daemonMessage) : base("Error response from daemon: " + daemonMessage)
    {
        StatusCode = statusCode;
        DaemonMessage = daemonMessage;
    }

    public int StatusCode { get; }

    /// <summary>The daemon's own text, without the "Error response from daemon: " prefix.</summary>
    public string DaemonMessage { get; }

    public bool IsNotFound => StatusCode == 404;
}
