using Berth.Cli.CommandLine;

namespace Berth.Cli.Files;

/// <summary>
/// A file written as docker's atomicwriter writes it: into a temporary ".tmp-NAME…" beside the target, then synced,
/// made 0600 and renamed over the target on <see cref="Commit"/>; disposed without a commit it is deleted, so a
/// failed command never leaves a half-written file. Only a regular file may be replaced.
/// </summary>
internal sealed class AtomicOutputFile : IDisposable
{
    private readonly string _target;
    private readonly string _temporary;
    private bool _committed;

    private AtomicOutputFile(string target, string temporary, FileStream stream)
    {
        _target = target;
        _temporary = temporary;
        Stream = stream;
    }

    public FileStream Stream { get; }

    /// <param name="what">The beginning of every error message ("failed to export container").</param>
    public static AtomicOutputFile Create(string path, string what)
    {
        string target = Path.GetFullPath(path);
        // docker's atomicwriter words (docker 28.2.2 prints these for save and export alike).
        if (Directory.Exists(target))
            throw new CliException(1, $"{what}: cannot write to a directory");
        string directory = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(directory))
            throw new CliException(1, $"{what}: invalid output path: stat {(Path.GetDirectoryName(path) is { Length: > 0 } given ? given : ".")}: no such file or directory");
        string temporary = Path.Combine(directory, $".tmp-{Path.GetFileName(target)}{Random.Shared.Next():D9}");
        try
        {
            var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            return new AtomicOutputFile(target, temporary, stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(1, $"{what}: {e.Message}");
        }
    }

    public void Commit()
    {
        Stream.Flush(flushToDisk: true);
        Stream.Dispose();
        File.SetUnixFileMode(_temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(_temporary, _target, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        Stream.Dispose();
        if (!_committed)
            File.Delete(_temporary);
    }
}
