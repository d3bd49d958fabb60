namespace Berth.Registry;

/// <summary>
/// One progress message of a pull or push, as moby's JSON message stream carries it: <see cref="Id"/> is the
/// layer's short digest (or the tag for "Pulling from"), <see cref="Status"/> the text, and
/// <see cref="Current"/>/<see cref="Total"/> the bytes behind the CLI's progress bar.
/// </summary>
public readonly record struct RegistryProgress(string? Id, string Status, long? Current = null, long? Total = null);
