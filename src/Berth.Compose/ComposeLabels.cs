namespace Berth.Compose;

/// <summary>The labels docker compose v2 puts on what it creates; docker-compose 1.29 reads the same ones.</summary>
public static class ComposeLabels
{
    public const string Project = "com.docker.compose.project";
    public const string Service = "com.docker.compose.service";
    public const string ContainerNumber = "com.docker.compose.container-number";
    public const string OneOff = "com.docker.compose.oneoff";
    public const string ConfigHash = "com.docker.compose.config-hash";
    public const string WorkingDir = "com.docker.compose.project.working_dir";
    public const string ConfigFiles = "com.docker.compose.project.config_files";
    public const string Version = "com.docker.compose.version";
    public const string Network = "com.docker.compose.network";
    public const string Volume = "com.docker.compose.volume";
    public const string DependsOn = "com.docker.compose.depends_on";

    /// <summary>What berth writes as <c>com.docker.compose.version</c>: the compose v2 line it follows.</summary>
    public const string BerthComposeVersion = "2.0.0";
}
