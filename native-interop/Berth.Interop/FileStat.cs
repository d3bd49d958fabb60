namespace Berth.Interop;

/// <summary>The fields of struct stat the engine reads (from lstat, so a symlink describes itself).</summary>
public readonly record struct FileStat(uint Mode, uint Uid, uint Gid, long Size, ulong Inode, ulong Nlink, ulong Rdev)
{
    public const uint S_IFMT = 0xF000;
    public const uint S_IFDIR = 0x4000;
    public const uint S_IFREG = 0x8000;
    public const uint S_IFLNK = 0xA000;

    public uint FileType => Mode & S_IFMT;

    public bool IsDirectory => FileType == S_IFDIR;

    public bool IsSymlink => FileType == S_IFLNK;

    public bool IsRegularFile => FileType == S_IFREG;

    /// <summary>Permission bits including setuid, setgid and sticky.</summary>
    public uint Permissions => Mode & 0xFFF;
}
