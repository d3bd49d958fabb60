using Berth.Engine.Images;
using Wire = Berth.Api;

namespace Berth.Daemon.Api;

/// <summary>Stored images as the API shows them: the <c>docker images</c> summary and the image inspect.</summary>
public static class ImageViews
{
    public static Wire.ImageSummary Summary(Image image, int containers, IReadOnlyList<string>? shownTags = null) => new()
    {
        Id = image.Id,
        ParentId = image.Parent ?? "",
        RepoTags = [.. shownTags ?? image.RepoTags],
        RepoDigests = [.. image.RepoDigests],
        Created = image.Created.ToUnixTimeSeconds(),
        Size = image.Size,
        SharedSize = -1,
        Labels = image.Config.Config?.Labels is { } labels ? new Dictionary<string, string>(labels) : [],
        Containers = containers,
    };

    public static Wire.ImageInspect Inspect(Image image, Dictionary<string, string> storageLayout)
    {
        var config = image.Config;
        var execution = config.Config;
        return new Wire.ImageInspect
        {
            Id = image.Id,
            RepoTags = [.. image.RepoTags],
            RepoDigests = [.. image.RepoDigests],
            Parent = image.Parent ?? "",
            Comment = config.Comment ?? config.History?.LastOrDefault()?.Comment ?? "",
            Created = config.Created is { } created ? Wire.ApiTimestamp.Format(created) : null,
            DockerVersion = "",
            Author = config.Author ?? "",
            Config = execution is null ? null : new Wire.ImageConfig
            {
                User = execution.User ?? "",
                ExposedPorts = execution.ExposedPorts?.Keys.ToDictionary(k => k, _ => (Wire.EmptyObject?)new Wire.EmptyObject()),
                Env = execution.Env?.ToList(),
                Cmd = execution.Cmd?.ToList(),
                Healthcheck = execution.Healthcheck is { ValueKind: System.Text.Json.JsonValueKind.Object } health
                    ? System.Text.Json.JsonSerializer.Deserialize(health, Wire.ApiJsonContext.Default.HealthConfig) : null,
                ArgsEscaped = execution.ArgsEscaped,
                Volumes = execution.Volumes?.Keys.ToDictionary(k => k, _ => (Wire.EmptyObject?)new Wire.EmptyObject()),
                WorkingDir = execution.WorkingDir ?? "",
                Entrypoint = execution.Entrypoint?.ToList(),
                OnBuild = execution.OnBuild?.ToList(),
                Labels = execution.Labels?.ToDictionary(),
                StopSignal = execution.StopSignal,
                Shell = execution.Shell?.ToList(),
            },
            Architecture = config.Architecture ?? "",
            Variant = config.Variant,
            Os = config.Os ?? "",
            Size = image.Size,
            GraphDriver = new Wire.DriverData
            {
                Name = "overlay2",
                Data = storageLayout,
            },
            RootFS = new Wire.ImageRootFS { Type = config.RootFs?.Type ?? "layers", Layers = [.. image.DiffIds] },
            Metadata = new Wire.ImageMetadata { LastTagTime = image.LastTagTime is { } tagged ? Wire.ApiTimestamp.Format(tagged) : "0001-01-01T00:00:00Z" },
        };
    }

}
