using Berth.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Archive;

/// <summary>
/// A path found in a container: <see cref="Name"/> in the directory <see cref="Parent"/>, not followed if it is a
/// symlink, with its status. A name of "." is the directory <see cref="Parent"/> itself.
/// </summary>
internal sealed class ResolvedPath(SafeFileHandle parent, string name, FileStat status) : IDisposable
{
    public SafeFileHandle Parent { get; } = parent;

    public string Name { get; } = name;

    public FileStat Status { get; } = status;

    public void Dispose() => Parent.Dispose();
}
