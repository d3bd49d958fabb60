using System.Text.Json;
using Berth.Init;
using Berth.InitSpec;

// berth-init: exec'd by berth-launcher as the first process of a new container, still on the host's
// filesystem but already inside the container's namespaces and cgroups. It reads its instructions from
// ChildContract.SpecFd, tells berthd it is Ready, prepares the root filesystem, waits for berthd's Continue,
// drops privileges and execs the command. Every failure is an Error message on the sync socket (SyncChannel),
// as berth-launcher reports its own.
// Everything here runs on the main thread: capabilities, the bounding set and no_new_privs are per thread.
try
{
    InitSpec spec = ReadSpec();
    SyncChannel.Send(new SyncMessage(SyncMessageType.Ready));
    new ContainerSetup(spec).Run();
    return 0; // not reached: Run execs the command or throws
}
catch (InitException e)
{
    SyncChannel.TrySendError(e.ExitCode, e.Message);
    return e.ExitCode;
}
catch (Exception e)
{
    SyncChannel.TrySendError(ChildContract.ExitSetupFailed, e.Message);
    return ChildContract.ExitSetupFailed;
}

static InitSpec ReadSpec()
{
    using var specFile = new Microsoft.Win32.SafeHandles.SafeFileHandle(ChildContract.SpecFd, ownsHandle: true);
    long length = RandomAccess.GetLength(specFile);
    var buffer = new byte[length];
    int read = RandomAccess.Read(specFile, buffer, 0);
    if (read != length)
        throw new InitException(ChildContract.ExitSetupFailed, $"read spec: short read ({read} of {length} bytes)");
    return JsonSerializer.Deserialize(buffer, InitSpecJsonContext.Default.InitSpec)
        ?? throw new InitException(ChildContract.ExitSetupFailed, "read spec: empty");
}
