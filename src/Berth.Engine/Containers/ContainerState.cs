namespace Berth.Engine.Containers;

/// <summary>A container's run state, persisted atomically in state.json after every change.</summary>
public sealed class ContainerState
{
    public ContainerStatus Status { get; set; } = ContainerStatus.Created;

    /// <summary>Host pid of the container's first process while it runs, else 0.</summary>
    public int Pid { get; set; }

    /// <summary>The exit status: the process's code, 128+signal when a signal ended it.</summary>
    public int ExitCode { get; set; }

    /// <summary>Why the last start failed, as Docker's State.Error.</summary>
    public string Error { get; set; } = "";

    public bool OOMKilled { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime FinishedAt { get; set; }

    public bool Running => Status is ContainerStatus.Running or ContainerStatus.Paused;

    public ContainerState Clone() => (ContainerState)MemberwiseClone();
}
