using System.Formats.Tar;
using System.IO.Pipelines;
using System.Text.Json;
using Berth.Engine.Archive;
using Berth.Engine.Containers;
using Berth.Engine.Images;
using Berth.Interop;
using Microsoft.Extensions.Logging;
using static Tmds.Linux.LibC;

namespace Berth.Engine.Commit;

/// <summary>
/// `docker commit`, and the one call a builder needs: "commit this container's changes as a layer on its image with this
/// config". The container's overlay upper dir is the layer (whiteouts and opaque dirs turned back into OCI form by
/// <see cref="TreeArchiver"/>); it is tarred into a pipe that the image store hashes, keeps as a blob and unpacks in the
/// same pass, so nothing of the layer is held in memory or written twice to a temp file. A running container is frozen
/// (docker pause) while its upper dir is read unless <see cref="CommitOptions.Pause"/> is false, and its lifecycle lock
/// is held meanwhile so that a removal cannot delete the upper dir under the reader.
/// Errors: <see cref="ContainerNotFoundException"/> (404), <see cref="ImageNotFoundException"/> when the container's image
/// is gone, <see cref="ArgumentException"/> for a bad change (400).
/// </summary>
public sealed class ContainerCommitter(ContainerManager containers, ImageStore images, ILogger logger)
{
    public async Task<Image> CommitAsync(string idOrName, CommitOptions options, CancellationToken ct = default)
    {
        var container = containers.Get(idOrName);
        var parent = images.Find(container.Record.ImageId) ?? throw new ImageNotFoundException(container.Record.ImageId);
        var config = ConfigChanges.Apply(options.Config ?? ConfigOf(container, parent), options.Changes);
        bool paused = options.Pause && container.State.Status == ContainerStatus.Running && await TryPauseAsync(container, ct);
        try
        {
            await container.Lifecycle.WaitAsync(ct);
            try
            {
                if (container.Removed.Task.IsCompleted)
                    throw new ContainerNotFoundException(idOrName);
                var image = await StoreAsync(container, parent, config, options, ct);
                containers.Publish(container, "commit", ("comment", options.Comment ?? ""), ("imageID", image.Id), ("imageRef", options.Tag?.FamiliarString ?? ""));
                return image;
            }
            finally
            {
                container.Lifecycle.Release();
            }
        }
        finally
        {
            if (paused)
                await TryUnpauseAsync(container);
        }
    }

    private async Task<Image> StoreAsync(Container container, Image parent, ImageExecutionConfig config, CommitOptions options, CancellationToken ct)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20));
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = WriteLayerAsync(container.Rootfs.UpperDirectory, pipe.Writer, abort.Token);
        try
        {
            await using var layer = pipe.Reader.AsStream();
            return await images.CreateImageAsync(new NewImage
            {
                Parent = parent,
                Layer = layer,
                Config = config,
                Author = options.Author,
                Comment = options.Comment,
                CreatedBy = options.CreatedBy ?? string.Join(' ', container.Record.Config.Cmd ?? []),
                Tag = options.Tag,
            }, ct);
        }
        catch
        {
            await abort.CancelAsync();
            throw;
        }
        finally
        {
            await producer;
        }
    }

    /// <summary>Tars the upper dir into the pipe; an error is handed to the reader, which fails the image creation with it.</summary>
    private async Task WriteLayerAsync(string upperDirectory, PipeWriter output, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            if (!Sys.TryOpen(upperDirectory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, out var upper))
                throw new IOException($"the container's upper directory `{upperDirectory}` cannot be opened");
            using var _ = upper;
            await using (var stream = output.AsStream(leaveOpen: true))
            await using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
                await new TreeArchiver(writer, logger, overlayWhiteouts: true).AddContentsAsync(upper, "", ct);
            await output.CompleteAsync();
        }
        catch (Exception e)
        {
            await output.CompleteAsync(e);
        }
    }

    /// <summary>moby's merge of the container's config into the image's: what the container ran with, plus the image's rest.</summary>
    private static ImageExecutionConfig ConfigOf(Container container, Image parent)
    {
        var c = container.Record.Config;
        var image = parent.Config.Config;
        var empty = JsonDocument.Parse("{}").RootElement;
        return new ImageExecutionConfig
        {
            User = c.User ?? image?.User,
            ExposedPorts = c.ExposedPorts is { Count: > 0 } ports ? ports.ToDictionary(p => p.Contains('/') ? p : p + "/tcp", _ => empty) : image?.ExposedPorts,
            Env = c.Env ?? image?.Env,
            Entrypoint = c.Entrypoint ?? image?.Entrypoint,
            Cmd = c.Cmd ?? image?.Cmd,
            Volumes = image?.Volumes,
            WorkingDir = c.WorkingDir ?? image?.WorkingDir,
            Labels = c.Labels ?? image?.Labels,
            StopSignal = c.StopSignal ?? image?.StopSignal,
            Healthcheck = image?.Healthcheck,
            OnBuild = image?.OnBuild,
            Shell = image?.Shell,
            ArgsEscaped = image?.ArgsEscaped,
        };
    }

    private async Task<bool> TryPauseAsync(Container container, CancellationToken ct)
    {
        try
        {
            await containers.PauseAsync(container.Id, ct);
            return true;
        }
        catch (ContainerConflictException e)
        {
            // Stopped meanwhile, or paused by someone else (then it stays paused): the layer is read as it is.
            logger.LogDebug("Commit of {Container} without pausing: {Reason}", container.Id[..12], e.Message);
            return false;
        }
    }

    private async Task TryUnpauseAsync(Container container)
    {
        try
        {
            await containers.UnpauseAsync(container.Id, CancellationToken.None);
        }
        catch (ContainerConflictException)
        {
            // Stopped (or unpaused by a client) while the layer was read.
        }
    }
}
