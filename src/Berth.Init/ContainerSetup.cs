using Berth.Interop;
using static Tmds.Linux.LibC;

namespace Berth.Init;

/// <summary>The steps of berth-init, in order. Each step is one short method or one class.</summary>
public sealed unsafe class ContainerSetup(Berth.InitSpec.InitSpec spec)
{
    public void Run()
    {
        umask(0);
        // No mount event of ours may reach the host, and the host's later unmounts may reach us.
        Sys.Mount(null, "/", null, Libc.MS_REC | Libc.MS_SLAVE);

        // Bind sources are host paths: take them before the host's filesystem disappears.
        var bindTrees = BindMounts.CloneSources(spec.Mounts);
        int reaperTree = spec.InitProgram.Length > 0 ? Sys.CloneMountTree(spec.InitProgram) : -1;

        RootfsSetup.PivotRoot(spec.Rootfs);
        RootfsSetup.MountProc();
        DeviceSetup.MountDev(spec.ShmSize);
        if (reaperTree >= 0)
            DeviceSetup.MountInitProgram(reaperTree);
        RootfsSetup.MountSys(spec.Cgroup);
        BindMounts.Attach(spec.Mounts, bindTrees);
        RootfsSetup.MaskPaths(spec.MaskedPaths);
        RootfsSetup.MakeReadonly(spec.ReadonlyPaths);
        if (spec.ReadonlyRootfs)
            RootfsSetup.RemountRootReadonly();

        if (spec.Terminal)
            ContainerConsole.Create(spec.ConsoleRows, spec.ConsoleColumns, spec.Uid, spec.Gid);

        SetHostname(spec.Hostname);
        Loopback.BringUp();
        EnterWorkingDir(spec.WorkingDir);

        // berthd's steps between clone and exec (network, hooks) ran meanwhile; wait for them as late as possible.
        SyncChannel.WaitContinue();
        Seccomp.Apply(spec.SeccompFilter);
        Credentials.Apply(spec.Uid, spec.Gid, spec.AdditionalGids, spec.Capabilities, spec.LastCapability, spec.NoNewPrivileges);
        string path = CommandResolver.Resolve(spec.Args, spec.Env);

        umask(0x12); // 0022, as runc gives every container
        SyncChannel.CloseOnExec();
        Exec(path, spec.Args, spec.Env);
    }

    private static void SetHostname(string hostname)
    {
        if (hostname.Length == 0)
            return;
        byte[] name = System.Text.Encoding.UTF8.GetBytes(hostname);
        fixed (byte* p = name)
            if (sethostname(p, name.Length) == -1)
                throw SyscallException.FromLastError($"sethostname `{hostname}`");
    }

    private static void EnterWorkingDir(string dir)
    {
        // Docker creates a missing WorkingDir; we are already inside the new root, so this cannot leave it.
        Directory.CreateDirectory(dir);
        Directory.SetCurrentDirectory(dir);
    }

    private static void Exec(string path, List<string> args, List<string> env)
    {
        close(Berth.InitSpec.ChildContract.SpecFd);
        int rc = ExecVe.Run(path, args, env);
        int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        _ = rc;
        int code = errno == Errno.ENOENT ? Berth.InitSpec.ChildContract.ExitNotFound : Berth.InitSpec.ChildContract.ExitNotExecutable;
        throw new InitException(code, $"exec {path}: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}");
    }
}
