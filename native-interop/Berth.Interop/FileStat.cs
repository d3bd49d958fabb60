namespace Berth.Interop;

/// <summary>
/// The fields of struct stat the engine reads (from lstat or statx without following, so a symlink describes itself).
/// <see cref="Device"/>, <see cref="MtimeNanoseconds"/> and <see cref="IsMountRoot"/> are filled by the statx-based calls
/// (<see cref="Sys.TryStatAt"/>, <see cref="Sys.Fstat"/>); lstat fills the first two.
/// </summary>
public readonly record struct FileStat(
    uint Mode, uint Uid, uint Gid, long Size, ulong Inode, ulong Nlink, ulong Rdev,
    ulong Device = 0, long MtimeNanoseconds = 0, bool IsMountRoot = false)
{
    public const uint S_IFMT = 0xF000;
    public const uint S_IFSOCK = 0xC000;
    public const uint S_IFLNK = 0xA000;
    public const uint S_IFREG = 0x8000;
    public const uint S_IFBLK = 0x6000;
    public const uint S_IFDIR = 0x4000;
    public const uint S_IFCHR = 0x2000;
    public const uint S_IFIFO = 0x1000;

    public uint FileType => Mode & S_IFMT;

    public bool IsDirectory => FileType == S_IFDIR;

    public bool IsSymlink => FileType == S_IFLNK;

    public bool IsRegularFile => FileType == S_IFREG;

    /// <summary>An overlayfs whiteout: a character device 0:0.</summary>
    public bool IsWhiteout => FileType == S_IFCHR && Rdev == 0;

    /// <summary>Permission bits including setuid, setgid and sticky.</summary>
    public uint Permissions => Mode & 0xFFF;

    public DateTimeOffset Mtime => DateTimeOffset.UnixEpoch.AddTicks(MtimeNanoseconds / 100);

    public uint RdevMajor => (uint)(((Rdev >> 32) & 0xfffff000) | ((Rdev >> 8) & 0xfff));

    public uint RdevMinor => (uint)(((Rdev >> 12) & 0xffffff00) | (Rdev & 0xff));
}
