using System.Globalization;
using Berth.Interop;

namespace Berth.Engine.Rootfs;

/// <summary>
/// Resolves Docker's `--user` (name, uid, name:group, uid:gid) against the image's /etc/passwd and
/// /etc/group, following runc's rules: a name must exist, a number need not; supplementary groups are
/// the groups that list the user. The files are opened inside the container's root (openat2
/// RESOLVE_IN_ROOT), so a symlinked /etc/passwd cannot make the engine read a host file.
/// </summary>
public static class UserResolver
{
    public static ResolvedUser Resolve(string rootfs, string? user)
    {
        string spec = string.IsNullOrEmpty(user) ? "0" : user;
        string userPart = spec, groupPart = "";
        int colon = spec.IndexOf(':');
        if (colon >= 0)
        {
            userPart = spec[..colon];
            groupPart = spec[(colon + 1)..];
        }

        var passwd = ReadDatabase(rootfs, "/etc/passwd");
        var groups = ReadDatabase(rootfs, "/etc/group");

        uint uid, gid = 0;
        string home = "/", name = "";
        string[]? entry = passwd.FirstOrDefault(e => e.Length >= 7 && (e[0] == userPart || (IsNumber(userPart) && e[2] == userPart)));
        if (entry is not null)
        {
            name = entry[0];
            uid = ParseId(entry[2], "/etc/passwd");
            gid = ParseId(entry[3], "/etc/passwd");
            home = entry[5].Length > 0 ? entry[5] : "/";
        }
        else if (IsNumber(userPart))
        {
            uid = ParseId(userPart, "--user");
        }
        else
        {
            throw new InvalidParameterException($"unable to find user {userPart}: no matching entries in passwd file");
        }

        if (groupPart.Length > 0)
            gid = ResolveGroup(groups, groupPart);

        var additional = name.Length == 0
            ? new List<uint>()
            : groups.Where(g => g.Length >= 4 && g[3].Split(',').Contains(name)).Select(g => ParseId(g[2], "/etc/group")).Where(g => g != gid).Distinct().ToList();
        return new ResolvedUser(uid, gid, additional, home);
    }

    private static uint ResolveGroup(List<string[]> groups, string group)
    {
        string[]? entry = groups.FirstOrDefault(g => g.Length >= 3 && (g[0] == group || (IsNumber(group) && g[2] == group)));
        if (entry is not null)
            return ParseId(entry[2], "/etc/group");
        if (IsNumber(group))
            return ParseId(group, "--user");
        throw new InvalidParameterException($"unable to find group {group}: no matching entries in group file");
    }

    private static List<string[]> ReadDatabase(string rootfs, string path)
    {
        try
        {
            using var handle = Sys.OpenInRoot(rootfs, path, Tmds.Linux.LibC.O_RDONLY);
            using var stream = new FileStream(handle, FileAccess.Read);
            using var reader = new StreamReader(stream);
            var entries = new List<string[]>();
            while (reader.ReadLine() is { } line)
                if (line.Length > 0 && !line.StartsWith('#'))
                    entries.Add(line.Split(':'));
            return entries;
        }
        catch (SyscallException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR)
        {
            return [];
        }
    }

    private static bool IsNumber(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);

    private static uint ParseId(string s, string source) =>
        uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out uint id)
            ? id
            : throw new InvalidParameterException($"invalid id `{s}` in {source}");
}
