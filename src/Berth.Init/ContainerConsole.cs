using Berth.Interop;
using static Tmds.Linux.LibC;

namespace Berth.Init;

/// <summary>
/// The container's terminal, made the way runc makes it: a pty of the container's own devpts instance, so
/// `tty` inside prints /dev/pts/0; the slave becomes stdio, the controlling terminal and /dev/console; the
/// master goes back to berthd as a Console message on the sync socket (SCM_RIGHTS).
/// </summary>
public static unsafe class ContainerConsole
{
    public static void Create(ushort rows, ushort columns, uint uid, uint gid)
    {
        var (master, slave, number) = Sys.OpenPty("/dev/ptmx");
        using (master)
        using (slave)
        {
            if (rows > 0 && columns > 0)
                Sys.SetWindowSize(master, rows, columns);
            int slaveFd = (int)slave.DangerousGetHandle();
            if (fchown(slaveFd, uid, gid) == -1)
                throw SyscallException.FromLastError("fchown console");
            File.WriteAllBytes("/dev/console", []);
            Sys.Mount($"/dev/pts/{number}", "/dev/console", null, Libc.MS_BIND);

            SyncChannel.Send(new Berth.InitSpec.SyncMessage(Berth.InitSpec.SyncMessageType.Console), (int)master.DangerousGetHandle());

            if (setsid() == -1)
                throw SyscallException.FromLastError("setsid");
            Sys.SetControllingTerminal(slaveFd);
            for (int fd = 0; fd <= 2; fd++)
                if (dup2(slaveFd, fd) == -1)
                    throw SyscallException.FromLastError($"dup2 console to {fd}");
        }
    }
}
