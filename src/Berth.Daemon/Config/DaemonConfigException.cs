namespace Berth.Daemon.Config;

/// <summary>A configuration berthd refuses to start with: an unknown key, a bad value, a key given twice (the message names it).</summary>
public sealed class DaemonConfigException(string message) : Exception(message);
