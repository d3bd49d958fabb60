using System.Globalization;

namespace Berth.Daemon;

/// <summary>Looks a group up in /etc/group, like Docker's <c>--group</c> (the socket's group when it exists).</summary>
public static class SocketGroup
{
    public static int? Lookup(string name, string groupFile = "/etc/group")
    {
        if (string.IsNullOrEmpty(name) || !File.Exists(groupFile))
            return null;
        foreach (string line in File.ReadLines(groupFile))
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == name && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out int gid))
                return gid;
        }
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int numeric))
            return numeric;
        return null;
    }
}
