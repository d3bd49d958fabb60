namespace Berth.Engine.Logs;

/// <summary>Which output of a container a chunk came from; the values are stdcopy's stream ids.</summary>
public enum LogStream : byte
{
    Stdin = 0,
    Stdout = 1,
    Stderr = 2,
}
