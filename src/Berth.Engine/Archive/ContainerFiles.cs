using System.Formats.Tar;
using Berth.Engine.Containers;
using Berth.Engine.Images;
using Berth.Interop;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Archive;

/// <summary>
/// A container's files from the outside, for <c>docker cp</c>, <c>docker diff</c> and <c>docker export</c>, on
/// running and stopped containers alike (see <see cref="FilesystemView"/> for what each one sees).
/// <para>
/// Errors, for the API: <see cref="ContainerNotFoundException"/> and <see cref="ContainerPathNotFoundException"/> (404);
/// <see cref="InvalidParameterException"/> (400: empty path, destination not a directory, read-only rootfs or volume,
/// a bad or unsafe archive entry, an overwrite that noOverwriteDirNonDir forbids);
/// <see cref="ContainerConflictException"/> (409: export of a container being removed, or one stuck stopping);
/// <see cref="ImageNotFoundException"/> when a stopped container's image is gone, IOException otherwise (500).
/// </para>
/// </summary>
public sealed class ContainerFiles(ContainerManager containers, ImageStore images, ILogger logger)
{
    /// <summary><c>HEAD /containers/{id}/archive?path=</c>: what is at <paramref name="path"/>, a symlink not followed.</summary>
    public async Task<PathStat> StatPathAsync(string idOrName, string path, CancellationToken ct = default)
    {
        await using var archive = await OpenArchiveAsync(idOrName, path, ct);
        return archive.Stat;
    }

    /// <summary>
    /// <c>GET /containers/{id}/archive?path=</c>: finds the path and holds it, so that the route can send the stat
    /// header before it streams the tar; dispose the result when done.
    /// </summary>
    public async Task<ContainerArchive> OpenArchiveAsync(string idOrName, string path, CancellationToken ct = default)
    {
        ContainerPath.Parse(path);
        var container = containers.Get(idOrName);
        var view = await FilesystemView.OpenAsync(container, images, withMounts: true, ct);
        try
        {
            var resolved = ContainerPath.Resolve(view, path) ?? throw new ContainerPathNotFoundException(path, idOrName);
            return new ContainerArchive(view, resolved, StatOf(view, path, resolved), logger);
        }
        catch
        {
            view.Dispose();
            throw;
        }
    }

    /// <summary>The tar of <paramref name="path"/>, written to <paramref name="destination"/>; returns its stat.</summary>
    public async Task<PathStat> GetArchiveAsync(string idOrName, string path, Stream destination, CancellationToken ct = default)
    {
        await using var archive = await OpenArchiveAsync(idOrName, path, ct);
        await archive.WriteToAsync(destination, ct);
        return archive.Stat;
    }

    /// <summary>
    /// <c>PUT /containers/{id}/archive?path=</c>: extracts a tar (plain, gzip or zstd) into the directory at
    /// <paramref name="path"/>, which must exist (symlinks to it are followed, inside the container).
    /// </summary>
    public async Task PutArchiveAsync(string idOrName, string path, Stream tar, bool noOverwriteDirNonDir = false, CancellationToken ct = default)
    {
        ContainerPath.Parse(path);
        var container = containers.Get(idOrName);
        using var view = await FilesystemView.OpenAsync(container, images, withMounts: true, ct);
        using var destination = ContainerPath.OpenDirectory(view, path, idOrName);
        CheckWritable(container, view, destination);
        await using var input = ImageArchiveReader.Decompress(tar);
        await new ArchiveExtractor(destination, noOverwriteDirNonDir).ExtractAsync(input, ct);
    }

    /// <summary><c>GET /containers/{id}/changes</c>: how the container's filesystem differs from its image, sorted by path.</summary>
    public async Task<IReadOnlyList<ContainerChange>> ChangesAsync(string idOrName, CancellationToken ct = default)
    {
        var container = containers.Get(idOrName);
        var image = images.Find(container.Record.ImageId) ?? throw new ImageNotFoundException(container.Record.ImageId);
        await container.Lifecycle.WaitAsync(ct);
        try
        {
            // Under the lock so that a removal cannot delete the upper dir while it is read.
            if (container.Removed.Task.IsCompleted)
                throw new ContainerNotFoundException(idOrName);
            return new OverlayChanges(container.Rootfs.UpperDirectory, new LowerLayers(images.GetLayerDirectories(image))).Compute();
        }
        finally
        {
            container.Lifecycle.Release();
        }
    }

    /// <summary>
    /// <c>GET /containers/{id}/export</c>: a tar of the container's root filesystem, the overlay only (no bind
    /// mounts, nothing of /proc or /sys, as moby's containerExport tars the RWLayer mount), entries named
    /// "bin/", "bin/sh", without the root itself.
    /// </summary>
    public async Task ExportAsync(string idOrName, Stream destination, CancellationToken ct = default)
    {
        var container = containers.Get(idOrName);
        if (container.State.Status == ContainerStatus.Removing)
            throw new ContainerConflictException($"You cannot export container {container.Id} which is being removed");
        using var view = await FilesystemView.OpenAsync(container, images, withMounts: false, ct);
        await using var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        await new TreeArchiver(writer, logger).AddContentsAsync(view.Root, "", ct);
    }

    /// <summary>moby's checkWritablePath: a read-only rootfs or volume is refused before anything is written.</summary>
    private static void CheckWritable(Container container, FilesystemView view, Microsoft.Win32.SafeHandles.SafeFileHandle destination)
    {
        bool readonlyRootfs = container.Record.HostConfig.ReadonlyRootfs;
        // A stopped container's view is the rootfs alone, mounted read-write here: its configuration decides.
        if (!view.Running && readonlyRootfs)
            throw new InvalidParameterException("container rootfs is marked read-only");
        if (Sys.StatFs(destination).ReadOnly)
            throw new InvalidParameterException(readonlyRootfs ? "container rootfs is marked read-only" : "mounted volume is marked read-only");
    }

    private static PathStat StatOf(FilesystemView view, string path, ResolvedPath resolved)
    {
        var status = resolved.Status;
        string linkTarget = status.IsSymlink ? ContainerPath.FollowInScope(view.Root, ContainerPath.Parse(path).Path) : "";
        return new PathStat(ContainerPath.Parse(path).Name, status.Size, GoFileMode.FromUnix(status.Mode), status.Mtime, linkTarget);
    }
}
