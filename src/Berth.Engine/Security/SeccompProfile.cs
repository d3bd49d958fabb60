namespace Berth.Engine.Security;

/// <summary>
/// Berth's default seccomp profile, modelled on Docker's (moby profiles/seccomp/default.json): the system calls
/// Docker's allowlist leaves out (kernel keyrings, module loading, kexec, new mounts and namespaces, ptrace,
/// perf, bpf, userfaultfd, io_uring, clock setting, ...) fail with EPERM unless the container has the capability
/// Docker ties them to; clone with namespace flags is refused too, and clone3 answers ENOSYS so that libc falls
/// back to clone (moby#42680). Expressed as a blocklist of those calls; everything else is allowed, as under
/// Docker's profile for any program that does not use obsolete or exotic calls.
/// </summary>
public static class SeccompProfile
{
    public static readonly IReadOnlyList<SeccompSyscall> Blocked =
    [
        new("acct", 163, 51, "CAP_SYS_PACCT"),
        new("add_key", 248, 286, null),
        new("request_key", 249, 287, null),
        new("keyctl", 250, 288, null),
        new("bpf", 321, 357, "CAP_SYS_ADMIN"),
        new("perf_event_open", 298, 336, "CAP_SYS_ADMIN"),
        new("userfaultfd", 323, 374, "CAP_SYS_PTRACE"),
        new("io_uring_setup", 425, 425, null),
        new("io_uring_enter", 426, 426, null),
        new("io_uring_register", 427, 427, null),
        new("clock_adjtime", 305, 343, "CAP_SYS_TIME"),
        new("clock_settime", 227, 264, "CAP_SYS_TIME"),
        new("settimeofday", 164, 79, "CAP_SYS_TIME"),
        new("stime", -1, 25, "CAP_SYS_TIME"),
        new("create_module", 174, 127, "CAP_SYS_MODULE"),
        new("init_module", 175, 128, "CAP_SYS_MODULE"),
        new("finit_module", 313, 350, "CAP_SYS_MODULE"),
        new("delete_module", 176, 129, "CAP_SYS_MODULE"),
        new("get_kernel_syms", 177, 130, "CAP_SYS_MODULE"),
        new("query_module", 178, 167, "CAP_SYS_MODULE"),
        new("kexec_load", 246, 283, "CAP_SYS_BOOT"),
        new("kexec_file_load", 320, -1, "CAP_SYS_BOOT"),
        new("reboot", 169, 88, "CAP_SYS_BOOT"),
        new("mount", 165, 21, "CAP_SYS_ADMIN"),
        new("umount", -1, 22, "CAP_SYS_ADMIN"),
        new("umount2", 166, 52, "CAP_SYS_ADMIN"),
        new("pivot_root", 155, 217, "CAP_SYS_ADMIN"),
        new("fsopen", 430, 430, "CAP_SYS_ADMIN"),
        new("fsconfig", 431, 431, "CAP_SYS_ADMIN"),
        new("fsmount", 432, 432, "CAP_SYS_ADMIN"),
        new("fspick", 433, 433, "CAP_SYS_ADMIN"),
        new("open_tree", 428, 428, "CAP_SYS_ADMIN"),
        new("move_mount", 429, 429, "CAP_SYS_ADMIN"),
        new("mount_setattr", 442, 442, "CAP_SYS_ADMIN"),
        new("unshare", 272, 310, "CAP_SYS_ADMIN"),
        new("setns", 308, 346, "CAP_SYS_ADMIN"),
        new("swapon", 167, 87, "CAP_SYS_ADMIN"),
        new("swapoff", 168, 115, "CAP_SYS_ADMIN"),
        new("quotactl", 179, 131, "CAP_SYS_ADMIN"),
        new("quotactl_fd", 443, 443, "CAP_SYS_ADMIN"),
        new("lookup_dcookie", 212, 253, "CAP_SYS_ADMIN"),
        new("name_to_handle_at", 303, 341, "CAP_SYS_ADMIN"),
        new("open_by_handle_at", 304, 342, "CAP_DAC_READ_SEARCH"),
        new("nfsservctl", 180, 169, "CAP_SYS_ADMIN"),
        new("ptrace", 101, 26, "CAP_SYS_PTRACE"),
        new("process_vm_readv", 310, 347, "CAP_SYS_PTRACE"),
        new("process_vm_writev", 311, 348, "CAP_SYS_PTRACE"),
        new("kcmp", 312, 349, "CAP_SYS_PTRACE"),
        new("syslog", 103, 103, "CAP_SYSLOG"),
        new("iopl", 172, 110, "CAP_SYS_RAWIO"),
        new("ioperm", 173, 101, "CAP_SYS_RAWIO"),
        new("vm86", -1, 166, "CAP_SYS_ADMIN"),
        new("vm86old", -1, 113, "CAP_SYS_ADMIN"),
        new("mbind", 237, 274, "CAP_SYS_NICE"),
        new("set_mempolicy", 238, 276, "CAP_SYS_NICE"),
        new("get_mempolicy", 239, 275, "CAP_SYS_NICE"),
        new("move_pages", 279, 317, "CAP_SYS_NICE"),
        new("uselib", 134, 86, null),
        new("ustat", 136, 62, null),
        new("sysfs", 139, 135, null),
        new("_sysctl", 156, 149, null),
    ];

    /// <summary>clone's namespace flags (CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET): refused without CAP_SYS_ADMIN.</summary>
    public const uint CloneNamespaceFlags = 0x7E020000;

    public const int CloneX86_64 = 56, CloneI386 = 120, Clone3 = 435;

    /// <summary>The filter for a container with <paramref name="capabilities"/> (a bit mask), or null when it runs unconfined.</summary>
    public static byte[]? FilterFor(ulong capabilities, bool privileged, bool unconfined)
    {
        if (privileged || unconfined)
            return null;
        bool Has(string capability) => (capabilities & (1UL << Capabilities.Number(capability))) != 0;
        var blocked = Blocked.Where(s => s.AllowedBy is null || !Has(s.AllowedBy)).ToList();
        return SeccompFilter.Compile(blocked, restrictClone: !Has("CAP_SYS_ADMIN"));
    }
}
