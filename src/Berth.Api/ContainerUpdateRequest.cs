using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>
/// The body of <c>POST /containers/{id}/update</c> (swagger <c>ContainerUpdateRequest</c>: Resources and RestartPolicy).
/// The docker CLI sends every resource field, zero meaning "unchanged"; the fields Berth cannot change must stay zero.
/// </summary>
public sealed class ContainerUpdateRequest
{
    public long Memory { get; set; }

    public long MemorySwap { get; set; }

    public long NanoCpus { get; set; }

    public long CpuShares { get; set; }

    public long? PidsLimit { get; set; }

    public RestartPolicy? RestartPolicy { get; set; }

    public long CpuPeriod { get; set; }

    public long CpuQuota { get; set; }

    public long CpuRealtimePeriod { get; set; }

    public long CpuRealtimeRuntime { get; set; }

    public string? CpusetCpus { get; set; }

    public string? CpusetMems { get; set; }

    public long MemoryReservation { get; set; }

    public long KernelMemory { get; set; }

    public int BlkioWeight { get; set; }

    [JsonPropertyName("KernelMemoryTCP")]
    public long KernelMemoryTcp { get; set; }
}
