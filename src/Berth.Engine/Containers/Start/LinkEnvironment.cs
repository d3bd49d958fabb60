using System.Globalization;

namespace Berth.Engine.Containers.Start;

/// <summary>
/// Docker's legacy link variables (moby daemon/links): for `--link db:my-db`, MY_DB_PORT (the first port),
/// MY_DB_PORT_80_TCP=tcp://IP:80 with its _ADDR, _PORT and _PROTO for every exposed port (ascending, tcp first),
/// MY_DB_NAME=/me/my-db and MY_DB_ENV_KEY for the linked container's environment (HOME and PATH left out).
/// Not yet: the _START/_END variables moby adds for runs of consecutive ports.
/// </summary>
public static class LinkEnvironment
{
    public static IReadOnlyList<string> Of(string alias, string linkName, string address, ContainerRecord child)
    {
        string prefix = alias.ToUpperInvariant().Replace('-', '_');
        var ports = (child.Config.ExposedPorts ?? []).Concat(child.HostConfig.PortBindings?.Keys ?? Enumerable.Empty<string>())
            .Select(Parse).OfType<(int Port, string Protocol)>().Distinct()
            .OrderBy(p => p.Port).ThenBy(p => p.Protocol == "tcp" ? 0 : 1).ThenBy(p => p.Protocol, StringComparer.Ordinal)
            .ToList();
        var env = new List<string>();
        if (ports.Count > 0)
            env.Add($"{prefix}_PORT={ports[0].Protocol}://{address}:{ports[0].Port.ToString(CultureInfo.InvariantCulture)}");
        foreach (var (port, protocol) in ports)
        {
            string number = port.ToString(CultureInfo.InvariantCulture);
            string key = $"{prefix}_PORT_{number}_{protocol.ToUpperInvariant()}";
            env.Add($"{key}={protocol}://{address}:{number}");
            env.Add($"{key}_ADDR={address}");
            env.Add($"{key}_PORT={number}");
            env.Add($"{key}_PROTO={protocol}");
        }
        env.Add($"{prefix}_NAME={linkName}");
        foreach (string variable in child.Config.Env ?? [])
        {
            int eq = variable.IndexOf('=');
            if (eq <= 0 || variable[..eq] is "HOME" or "PATH")
                continue;
            env.Add($"{prefix}_ENV_{variable}");
        }
        return env;
    }

    private static (int Port, string Protocol)? Parse(string key)
    {
        string[] parts = key.Split('/', 2);
        return int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            ? (port, parts.Length > 1 ? parts[1].ToLowerInvariant() : "tcp")
            : null;
    }
}
