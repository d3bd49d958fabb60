using Berth.Engine.Archive;
using Berth.Engine.Cgroups;
using Berth.Engine.Containers;
using Berth.Engine.Images;
using Berth.Engine.Processes;
using Berth.Engine.Volumes;
using Berth.Http;

namespace Berth.Daemon.Api;

/// <summary>The one place where errors become HTTP statuses, as moby's errdefs do.</summary>
public static class ApiErrors
{
    public static (int Status, string Message) Map(Exception e) => e switch
    {
        ApiException api => (api.StatusCode, api.Message),
        ContainerNotFoundException or ImageNotFoundException or ExecNotFoundException or ContainerPathNotFoundException => (404, e.Message),
        VolumeNotFoundException or VolumeDriverNotFoundException => (404, e.Message),
        ContainerConflictException or ImageInUseException or VolumeInUseException => (409, e.Message),
        ImageFormatException or InvalidImageReferenceException => (400, e.Message),
        // moby: a command that is missing (127) or cannot be executed (126) is an invalid parameter; the CLI
        // then maps the message text ("executable file not found", "permission denied") to its own exit code.
        ContainerStartException start => (start.ExitCode is 126 or 127 ? 400 : 500, e.Message),
        CgroupException => (500, e.Message),
        ArgumentException or FormatException => (400, e.Message),
        _ => (500, e.Message),
    };
}
