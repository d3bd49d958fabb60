using Berth.Interop;
using static Berth.Interop.Libc;

namespace Berth.Init;

/// <summary>
/// User, groups and capabilities, in runc's order: drop the bounding set while still privileged, change
/// groups and ids, then set the capability sets. Like Docker, root gets the container's capabilities as
/// effective and permitted; any other user gets them only in the bounding set (execve's own behaviour).
/// </summary>
public static unsafe class Credentials
{
    public static void Apply(uint uid, uint gid, List<uint> additionalGids, ulong capabilities, int lastCapability, bool noNewPrivileges)
    {
        DropBoundingSet(capabilities, lastCapability);
        Sys.Prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, "PR_CAP_AMBIENT_CLEAR_ALL");
        SetGroups(additionalGids);
        Check(Tmds.Linux.LibC.setgid(gid), $"setgid {gid}");
        Check(Tmds.Linux.LibC.setuid(uid), $"setuid {uid}");
        ulong effective = uid == 0 ? capabilities : 0;
        Sys.CapSet(effective, effective, inheritable: 0);
        if (noNewPrivileges)
            Sys.Prctl(PR_SET_NO_NEW_PRIVS, 1, "PR_SET_NO_NEW_PRIVS");
    }

    /// <param name="last">the host's last capability, probed once by berthd and passed in the spec</param>
    private static void DropBoundingSet(ulong keep, int last)
    {
        for (int cap = 0; cap <= last; cap++)
            if ((keep & (1UL << cap)) == 0)
                Sys.Prctl(PR_CAPBSET_DROP, (ulong)cap, $"PR_CAPBSET_DROP {cap}");
    }

    private static void SetGroups(List<uint> gids)
    {
        var list = gids.ToArray();
        fixed (uint* p = list)
            Check(Tmds.Linux.LibC.setgroups(list.Length, (Tmds.Linux.gid_t*)p), "setgroups");
    }

    private static void Check(int result, string operation)
    {
        if (result == -1)
            throw SyscallException.FromLastError(operation);
    }
}
