using System.Text.Json;
using Berth.Init;
using Berth.InitSpec;

// berth-init: exec'd by berth-launcher as the first process of a new container, still on the host's
// filesystem but already inside the container's namespaces and cgroups. It reads its instructions from
// fd 4, prepares the root filesystem, drops privileges and execs the command. Every failure is reported
// on fd 3 as "error <exit code> <message>" (see InitReport), the way berth-launcher reports its own.
// Everything here runs on the main thread: capabilities, the bounding set and no_new_privs are per thread.
try
{
    InitSpec spec = ReadSpec();
    new ContainerSetup(spec).Run();
    return 0; // not reached: Run execs the command or throws
}
catch (InitException e)
{
    InitReport.Error(e.ExitCode, e.Message);
    return e.ExitCode;
}
catch (Exception e)
{
    InitReport.Error(InitException.SetupFailed, e.Message);
    return InitException.SetupFailed;
}

static InitSpec ReadSpec()
{
    using var specFile = new Microsoft.Win32.SafeHandles.SafeFileHandle(InitReport.SpecFd, ownsHandle: true);
    long length = RandomAccess.GetLength(specFile);
    var buffer = new byte[length];
    int read = RandomAccess.Read(specFile, buffer, 0);
    if (read != length)
        throw new InitException(InitException.SetupFailed, $"read spec: short read ({read} of {length} bytes)");
    return JsonSerializer.Deserialize(buffer, InitSpecJsonContext.Default.InitSpec)
        ?? throw new InitException(InitException.SetupFailed, "read spec: empty");
}
