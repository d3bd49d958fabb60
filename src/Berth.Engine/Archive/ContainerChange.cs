namespace Berth.Engine.Archive;

/// <summary>One line of <c>docker diff</c>: an absolute path in the container and how it differs from the image.</summary>
public readonly record struct ContainerChange(ChangeKind Kind, string Path)
{
    /// <summary>"A /new", as the docker CLI prints it.</summary>
    public override string ToString() => $"{Kind switch { ChangeKind.Added => "A", ChangeKind.Deleted => "D", _ => "C" }} {Path}";
}
