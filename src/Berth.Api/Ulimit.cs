namespace Berth.Api;

/// <summary>A resource limit (<c>--ulimit nofile=1024:2048</c>).</summary>
public sealed class Ulimit
{
    public string Name { get; set; } = "";

    public long Soft { get; set; }

    public long Hard { get; set; }
}
