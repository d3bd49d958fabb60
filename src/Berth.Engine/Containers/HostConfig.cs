using Berth.Engine.Containers.Restart;

namespace Berth.Engine.Containers;

/// <summary>How the host runs a container, with the names of Docker's HostConfig (the supported subset).</summary>
public sealed class HostConfig
{
    /// <summary>`-v`: `host-path:container-path[:mode]`, `volume-name:container-path[:mode]` or `container-path`.</summary>
    public List<string>? Binds { get; set; }

    /// <summary>`--mount`: bind, volume and tmpfs mounts with their options.</summary>
    public List<Volumes.MountSpec>? Mounts { get; set; }

    /// <summary>`--tmpfs /path[:options]`: destination to mount options.</summary>
    public Dictionary<string, string>? Tmpfs { get; set; }

    /// <summary>`--volumes-from CONTAINER[:ro|rw]`.</summary>
    public List<string>? VolumesFrom { get; set; }

    /// <summary>`--log-driver` and `--log-opt`; null or an empty type: the daemon's default.</summary>
    public Logs.LogConfig? LogConfig { get; set; }

    public bool AutoRemove { get; set; }

    /// <summary>`--restart`: null or "no" means none.</summary>
    public RestartPolicy? RestartPolicy { get; set; }

    /// <summary>Memory limit in bytes; 0 means none.</summary>
    public long Memory { get; set; }

    /// <summary>Memory plus swap in bytes; 0 means Docker's default (twice the memory limit), -1 unlimited.</summary>
    public long MemorySwap { get; set; }

    /// <summary>CPU quota in units of 1e-9 CPUs (`--cpus 1.5` = 1500000000).</summary>
    public long NanoCpus { get; set; }

    public long CpuShares { get; set; }

    /// <summary>Pids limit; null or 0 means none, -1 unlimited.</summary>
    public long? PidsLimit { get; set; }

    public bool ReadonlyRootfs { get; set; }

    public List<string>? SecurityOpt { get; set; }

    public List<string>? CapAdd { get; set; }

    public List<string>? CapDrop { get; set; }

    public bool Privileged { get; set; }

    public long ShmSize { get; set; }

    public bool Init { get; set; }

    /// <summary>Initial terminal size as [rows, columns] for a Tty container ([0, 0] when unknown).</summary>
    public int[]? ConsoleSize { get; set; }

    /// <summary>`--network`: "default" (bridge), "bridge", "none", "host", "container:NAME" or a user network's name.</summary>
    public string NetworkMode { get; set; } = "default";

    /// <summary>`-p`: "80/tcp" to its host bindings (HostIp "" = every address, HostPort "" = one from the ephemeral range).</summary>
    public Dictionary<string, List<PortBinding>>? PortBindings { get; set; }

    /// <summary>`-P`: every exposed port (the image's EXPOSE included) on a host port from the ephemeral range.</summary>
    public bool PublishAllPorts { get; set; }

    /// <summary>`--network-alias` on the container's network.</summary>
    public List<string>? NetworkAliases { get; set; }

    /// <summary>`--ip` on the container's network.</summary>
    public string? IPv4Address { get; set; }

    /// <summary>`--mac-address` on the container's network (normalised to lower-case colon form).</summary>
    public string? MacAddress { get; set; }

    /// <summary>`--dns`: the container's nameservers (on a user network, the embedded DNS server's upstreams for it).</summary>
    public List<string>? Dns { get; set; }

    /// <summary>`--dns-search`: resolv.conf's search domains ("." alone: none).</summary>
    public List<string>? DnsSearch { get; set; }

    /// <summary>`--dns-option`: resolv.conf's options.</summary>
    public List<string>? DnsOptions { get; set; }

    /// <summary>`--add-host NAME:IP` (or NAME=IP; IP "host-gateway" is the default bridge's gateway), into /etc/hosts.</summary>
    public List<string>? ExtraHosts { get; set; }

    /// <summary>`--link NAME[:ALIAS]` as submitted: legacy links on the default bridge, DNS aliases on a user network.</summary>
    public List<string>? Links { get; set; }

    /// <summary>`network connect` to further networks (eth1, eth2… at each start), recorded also while the container does not run.</summary>
    public List<NetworkAttachment>? ConnectedNetworks { get; set; }

    /// <summary>`network disconnect` from NetworkMode's network while the container did not run: it starts without it.</summary>
    public bool NetworkModeDisconnected { get; set; }

    /// <summary>`--security-opt seccomp=unconfined`: no seccomp filter.</summary>
    public bool SeccompUnconfined => SecurityOpt?.Any(o => o is "seccomp=unconfined" or "seccomp:unconfined") == true;

    public bool NoNewPrivileges => SecurityOpt?.Any(o => o is "no-new-privileges" or "no-new-privileges:true" or "no-new-privileges=true") == true;
}
