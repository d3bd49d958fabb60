namespace Berth.Engine.Cgroups;

/// <summary>The device cgroup rules of an unprivileged Docker container, in the order they are applied.</summary>
public static class DeviceRules
{
    /// <summary>
    /// What moby puts in the OCI spec (<c>oci/defaults.go</c>: deny all; allow c 1:5, 1:3, 1:9, 1:8, 5:0, 5:1; deny c 10:229)
    /// followed by what runc appends (<c>specconv.AllowedDevices</c>: mknod of any device, and c 1:7, 5:2, 136:*;
    /// its other entries repeat moby's). Later rules win, so the order matters: the v1 driver writes them to
    /// <c>devices.allow</c>/<c>devices.deny</c> in this order, and a v2 eBPF device filter must evaluate them the same way.
    /// </summary>
    public static IReadOnlyList<DeviceRule> DockerDefaults { get; } =
    [
        new(false, 'a', null, null, "rwm"),
        new(true, 'c', 1, 5, "rwm"),     // /dev/zero
        new(true, 'c', 1, 3, "rwm"),     // /dev/null
        new(true, 'c', 1, 9, "rwm"),     // /dev/urandom
        new(true, 'c', 1, 8, "rwm"),     // /dev/random
        new(true, 'c', 5, 0, "rwm"),     // /dev/tty
        new(true, 'c', 5, 1, "rwm"),     // /dev/console
        new(false, 'c', 10, 229, "rwm"), // /dev/fuse
        new(true, 'c', null, null, "m"), // mknod of any char device
        new(true, 'b', null, null, "m"), // mknod of any block device
        new(true, 'c', 1, 7, "rwm"),     // /dev/full
        new(true, 'c', 5, 2, "rwm"),     // /dev/ptmx
        new(true, 'c', 136, null, "rwm"), // /dev/pts/*
    ];
}
