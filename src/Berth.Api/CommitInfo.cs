namespace Berth.Api;

/// <summary>The commit of a component in <c>/info</c> (ContainerdCommit, RuncCommit, InitCommit).</summary>
public sealed class CommitInfo
{
    public string ID { get; set; } = "";
}
