using Berth.Interop;

namespace Berth.Engine.Archive;

/// <summary>
/// Go's <c>os.FileMode</c> bits, which Docker puts in <c>PathStat.mode</c>: the permission bits plus a bit per
/// file type and for setuid, setgid and sticky (Go's io/fs constants; os/stat_linux.go fillFileStatFromSys).
/// </summary>
public static class GoFileMode
{
    public const uint Dir = 1u << 31;
    public const uint Symlink = 1u << 27;
    public const uint Device = 1u << 26;
    public const uint NamedPipe = 1u << 25;
    public const uint Socket = 1u << 24;
    public const uint Setuid = 1u << 23;
    public const uint Setgid = 1u << 22;
    public const uint CharDevice = 1u << 21;
    public const uint Sticky = 1u << 20;

    /// <summary>The Go FileMode of a Linux st_mode.</summary>
    public static uint FromUnix(uint mode)
    {
        uint result = mode & 0x1FF;
        result |= (mode & FileStat.S_IFMT) switch
        {
            FileStat.S_IFBLK => Device,
            FileStat.S_IFCHR => Device | CharDevice,
            FileStat.S_IFDIR => Dir,
            FileStat.S_IFIFO => NamedPipe,
            FileStat.S_IFLNK => Symlink,
            FileStat.S_IFSOCK => Socket,
            _ => 0,
        };
        if ((mode & 0x800) != 0)
            result |= Setuid;
        if ((mode & 0x400) != 0)
            result |= Setgid;
        if ((mode & 0x200) != 0)
            result |= Sticky;
        return result;
    }
}
