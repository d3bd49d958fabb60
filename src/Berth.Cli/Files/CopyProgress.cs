using Berth.Cli.Output;

namespace Berth.Cli.Files;

/// <summary>
/// The size docker cp reports as "Successfully copied 2.05kB to …": the bytes of the tar read through
/// <see cref="Report"/>. docker/cli 28 also has code to draw progress on a terminal stderr, but it asks
/// moby/term whether its own stderr stream (not an *os.File) is a terminal, is always told no, and never
/// draws; berth prints the same single line.
/// </summary>
internal sealed class CopyProgress
{
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    /// <summary>The bytes copied so far (a <see cref="Streams.ProgressReadStream"/> reports them).</summary>
    public void Report(long total) => Interlocked.Exchange(ref _total, total);

    /// <summary>go-units HumanSizeWithPrecision(n, 3).</summary>
    public static string Size(long bytes) => HumanUnits.Size(bytes, 3);
}
