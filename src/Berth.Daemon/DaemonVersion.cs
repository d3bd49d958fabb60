namespace Berth.Daemon;

/// <summary>Berth's version as the API reports it (<c>/version</c>, <c>/info</c>, the Server header).</summary>
public static class DaemonVersion
{
    public const string Version = "0.1.0";

    public const string ServerHeader = "Berth/" + Version + " (linux)";
}
