namespace Berth.Api;

/// <summary>A block device rate limit (<c>BlkioDeviceReadBps</c> and the like).</summary>
public sealed class ThrottleDevice
{
    public string Path { get; set; } = "";

    public long Rate { get; set; }
}
