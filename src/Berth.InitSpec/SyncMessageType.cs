namespace Berth.InitSpec;

/// <summary>The kinds of <see cref="SyncMessage"/>; the values are berth-sync.h's BERTH_SYNC_*.</summary>
public enum SyncMessageType : uint
{
    Pid = 1,
    Ready = 2,
    Continue = 3,
    Console = 4,
    Error = 5,
}
