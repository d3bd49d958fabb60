namespace Berth.Api;

/// <summary>A host device made available in the container (<c>--device</c>).</summary>
public sealed class DeviceMapping
{
    public string PathOnHost { get; set; } = "";

    public string PathInContainer { get; set; } = "";

    public string CgroupPermissions { get; set; } = "";
}
