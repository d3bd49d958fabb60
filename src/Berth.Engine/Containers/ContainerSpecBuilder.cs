using Berth.Engine.Rootfs;
using Berth.Engine.Security;
using Berth.InitSpec;

namespace Berth.Engine.Containers;

/// <summary>
/// Turns a container's config, its image's defaults and Docker's defaults into the command, environment
/// and <see cref="InitSpec"/> of a run. Plain data in, plain data out: testable without root.
/// The rules are moby's: daemon/commit.go `merge` at create, container `CreateDaemonEnvironment` at start.
/// </summary>
public static class ContainerSpecBuilder
{
    public const string DefaultPathEnv = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>
    /// The container's config with the image's defaults filled in, as Docker stores it at create time
    /// (later changes to the image do not change the container). A user entrypoint discards the image's
    /// entrypoint and cmd; `--entrypoint ""` (sent as [""]) clears the entrypoint.
    /// </summary>
    public static ContainerConfig Merge(ContainerConfig config, ImageDefaults image, IReadOnlyDictionary<string, string>? imageLabels = null, IEnumerable<string>? imagePorts = null)
    {
        List<string>? entrypoint = config.Entrypoint;
        List<string>? cmd = config.Cmd;
        if (entrypoint is null || entrypoint.Count == 0)
        {
            if (cmd is null || cmd.Count == 0)
                cmd = image.Cmd?.ToList();
            entrypoint ??= image.Entrypoint?.ToList();
        }
        if (entrypoint is [""])
            entrypoint = null;

        var env = new List<string>();
        foreach (string entry in (image.Env ?? []).Concat(config.Env ?? []))
            ReplaceOrAppend(env, entry);

        var labels = new Dictionary<string, string>(imageLabels ?? new Dictionary<string, string>());
        foreach (var (key, value) in config.Labels ?? [])
            labels[key] = value;

        return new ContainerConfig
        {
            Image = config.Image,
            Cmd = cmd,
            Entrypoint = entrypoint,
            Env = env,
            WorkingDir = !string.IsNullOrEmpty(config.WorkingDir) ? config.WorkingDir : image.WorkingDir ?? "",
            User = !string.IsNullOrEmpty(config.User) ? config.User : image.User ?? "",
            Hostname = config.Hostname,
            Domainname = config.Domainname,
            Labels = labels,
            Tty = config.Tty,
            OpenStdin = config.OpenStdin,
            StdinOnce = config.StdinOnce,
            AttachStdin = config.AttachStdin,
            AttachStdout = config.AttachStdout,
            AttachStderr = config.AttachStderr,
            StopSignal = !string.IsNullOrEmpty(config.StopSignal) ? config.StopSignal : image.StopSignal,
            StopTimeout = config.StopTimeout,
            ExposedPorts = (imagePorts ?? []).Concat(config.ExposedPorts ?? []).Distinct().ToList(),
        };
    }

    /// <summary>Entrypoint + Cmd of a merged config: Docker's Path and Args.</summary>
    public static ContainerCommand ResolveCommand(ContainerConfig merged)
    {
        var argv = new List<string>();
        argv.AddRange(merged.Entrypoint ?? []);
        argv.AddRange(merged.Cmd ?? []);
        if (argv.Count == 0)
            throw new InvalidParameterException("no command specified");
        return new ContainerCommand(argv[0], argv.Skip(1).ToList());
    }

    /// <summary>PATH and HOSTNAME first (and TERM with a tty), overridden by the container's Env, then HOME from passwd if unset.</summary>
    public static List<string> BuildEnv(ContainerConfig merged, string hostname, string home)
    {
        var env = new List<string> { DefaultPathEnv, "HOSTNAME=" + hostname };
        if (merged.Tty)
            env.Add("TERM=xterm");
        foreach (string entry in merged.Env ?? [])
            ReplaceOrAppend(env, entry);
        if (!env.Any(e => e.StartsWith("HOME=", StringComparison.Ordinal)))
            env.Add("HOME=" + home);
        return env;
    }

    /// <summary>Sets KEY=VALUE in an environment list, replacing an existing KEY in place.</summary>
    internal static void ReplaceOrAppend(List<string> env, string entry)
    {
        int eq = entry.IndexOf('=');
        if (eq <= 0)
            return; // a bare "KEY" is resolved by the client; the engine only sees KEY=VALUE
        string prefix = entry[..(eq + 1)];
        int index = env.FindIndex(e => e.StartsWith(prefix, StringComparison.Ordinal));
        if (index >= 0)
            env[index] = entry;
        else
            env.Add(entry);
    }

    public static string Hostname(string containerId, ContainerConfig config) =>
        string.IsNullOrEmpty(config.Hostname) ? containerId[..12] : config.Hostname;

    public static string StopSignal(ContainerConfig merged) =>
        string.IsNullOrEmpty(merged.StopSignal) ? "SIGTERM" : merged.StopSignal;

    public static InitSpec.InitSpec Build(
        string containerId,
        ContainerConfig merged,
        HostConfig hostConfig,
        string rootfs,
        ResolvedUser user,
        InitCgroupMount cgroupMount,
        IReadOnlyList<string> maskedPaths)
    {
        string hostname = Hostname(containerId, merged);
        ulong capabilities = Capabilities.Resolve(hostConfig.CapAdd, hostConfig.CapDrop, hostConfig.Privileged);
        var spec = new InitSpec.InitSpec
        {
            Rootfs = rootfs,
            Hostname = hostname,
            Args = [.. ResolveCommand(merged).Argv],
            Env = BuildEnv(merged, hostname, user.Home),
            WorkingDir = string.IsNullOrEmpty(merged.WorkingDir) ? "/" : merged.WorkingDir,
            Uid = user.Uid,
            Gid = user.Gid,
            AdditionalGids = [.. user.AdditionalGids],
            Capabilities = capabilities,
            SeccompFilter = SeccompProfile.FilterFor(capabilities, hostConfig.Privileged, hostConfig.SeccompUnconfined),
            NoNewPrivileges = hostConfig.NoNewPrivileges,
            ReadonlyRootfs = hostConfig.ReadonlyRootfs,
            ShmSize = hostConfig.ShmSize > 0 ? hostConfig.ShmSize : 64 * 1024 * 1024,
            Cgroup = cgroupMount,
            MaskedPaths = hostConfig.Privileged ? [] : [.. maskedPaths],
            ReadonlyPaths = hostConfig.Privileged ? [] : [.. DefaultPaths.Readonly],
        };
        foreach (string bind in hostConfig.Binds ?? [])
        {
            var mount = BindMount.Parse(bind);
            spec.Mounts.Add(new InitMount { Source = mount.Source, Destination = mount.Destination, ReadOnly = mount.ReadOnly });
        }
        return spec;
    }
}
