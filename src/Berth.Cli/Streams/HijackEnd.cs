namespace Berth.Cli.Streams;

/// <summary>How an attached session ended.</summary>
internal enum HijackEnd
{
    /// <summary>The output ended (the daemon closed the stream), or stdin ended with no output attached.</summary>
    Finished,

    /// <summary>The detach keys were typed: the container keeps running.</summary>
    Detached,
}
