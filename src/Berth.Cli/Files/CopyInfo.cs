namespace Berth.Cli.Files;

/// <summary>moby/go-archive CopyInfo: a path of a copy, whether it exists and is a directory, and the name its base is to take.</summary>
public sealed record CopyInfo(string Path, bool Exists = false, bool IsDir = false, string RebaseName = "");
