namespace Berth.Api;

/// <summary><c>GET /version</c> (swagger <c>SystemVersion</c>).</summary>
public sealed class SystemVersion
{
    public VersionPlatform Platform { get; set; } = new();

    public List<ComponentVersion> Components { get; set; } = [];

    public string Version { get; set; } = "";

    public string ApiVersion { get; set; } = "";

    public string MinAPIVersion { get; set; } = "";

    public string GitCommit { get; set; } = "";

    public string GoVersion { get; set; } = "";

    public string Os { get; set; } = "";

    public string Arch { get; set; } = "";

    public string KernelVersion { get; set; } = "";

    public bool Experimental { get; set; }

    public string BuildTime { get; set; } = "";
}
