using System.Formats.Tar;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Archive;

/// <summary>
/// A path of a container, found and ready to be archived (<c>GET /containers/{id}/archive</c>): the route sends
/// <see cref="Stat"/> in the <see cref="PathStat.HeaderName"/> header, then the tar from <see cref="WriteToAsync"/>.
/// It holds the container's filesystem view until disposed (for a stopped container, its lifecycle lock too:
/// a start waits, as moby holds the container's lock until the archive is read).
/// </summary>
public sealed class ContainerArchive : IAsyncDisposable
{
    private readonly FilesystemView _view;
    private readonly ResolvedPath _path;
    private readonly ILogger _logger;

    internal ContainerArchive(FilesystemView view, ResolvedPath path, PathStat stat, ILogger logger)
    {
        _view = view;
        _path = path;
        _logger = logger;
        Stat = stat;
    }

    public PathStat Stat { get; }

    /// <summary>
    /// Writes the tar (moby's TarResourceRebaseOpts): a directory as its entry named <see cref="PathStat.Name"/>
    /// followed by its tree, anything else as one entry, a symlink as a symlink.
    /// </summary>
    public async Task WriteToAsync(Stream destination, CancellationToken ct = default)
    {
        await using var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        await new TreeArchiver(writer, _logger).AddAsync(_path.Parent, _path.Name, Stat.Name, ct);
    }

    public ValueTask DisposeAsync()
    {
        _path.Dispose();
        _view.Dispose();
        return ValueTask.CompletedTask;
    }
}
