using Berth.Engine.Containers.Health;

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

    /// <summary>How often the restart policy restarted the container since the user last started it (inspect's RestartCount).</summary>
    public int RestartCount { get; set; }

    /// <summary>The user stopped or killed it: `unless-stopped` leaves it stopped, also when the engine starts again.</summary>
    public bool HasBeenManuallyStopped { get; set; }

    /// <summary>The healthcheck's status and last results while the container has one (State.Health).</summary>
    public HealthState? Health { get; set; }

    /// <summary>It has a process (a container waiting for its restart has none; Docker's State.Running also counts it, see the views).</summary>
    public bool Running => Status is ContainerStatus.Running or ContainerStatus.Paused;

    public ContainerState Clone()
    {
        var copy = (ContainerState)MemberwiseClone();
        copy.Health = Health?.Clone();
        return copy;
    }
}
