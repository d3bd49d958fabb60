namespace Berth.Engine.Processes;

/// <summary>What berth-keeper knows of a container's first process: running, or the code it exited with (128+signal when killed).</summary>
public sealed record KeptStatus(bool Running, int ExitCode);
