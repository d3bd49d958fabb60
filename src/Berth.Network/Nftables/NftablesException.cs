namespace Berth.Network.Nftables;

/// <summary>libnftables refused a command; the message carries its error buffer (the line and what was wrong).</summary>
public sealed class NftablesException(string message) : IOException(message);
