using Berth.Engine.Containers;
using Berth.Engine.Events;
using Berth.Engine.Rootfs;
using Berth.InitSpec;
using Berth.Interop;
using Microsoft.Extensions.Logging;
using static Tmds.Linux.LibC;

namespace Berth.Engine.Volumes;

/// <summary>
/// A container's mounts from create to removal, in moby's order (daemon/volumes.go registerMountPoints, then
/// create_unix.go): `--volumes-from` first, `-v` over them, `--mount` (a destination twice is an error), then an
/// anonymous volume for every Config.Volumes or image VOLUME path nothing else covers. Everything is checked
/// before the first volume is created, so bad input leaves nothing behind.
/// </summary>
public sealed class ContainerMounts(VolumeStore volumes, EngineEvents events, ILogger logger)
{
    /// <summary>Resolves and checks the mounts of a new container and creates the volumes it names.</summary>
    /// <param name="findContainer">Looks up a `--volumes-from` container (throws when there is none).</param>
    public List<MountPoint> Resolve(HostConfig host, IEnumerable<string>? configVolumes, Func<string, Container> findContainer)
    {
        var planned = new List<(MountPoint Point, MountSpec? Spec)>();
        var byDestination = new Dictionary<string, int>();
        void Add(MountPoint point, MountSpec? spec, bool replace)
        {
            if (byDestination.TryGetValue(point.Destination, out int index))
            {
                if (!replace)
                    throw new InvalidParameterException($"Duplicate mount point: {point.Destination}");
                planned[index] = (point, spec);
                return;
            }
            byDestination[point.Destination] = planned.Count;
            planned.Add((point, spec));
        }

        foreach (string from in host.VolumesFrom ?? [])
            foreach (var point in FromContainer(from, findContainer))
                Add(point, null, replace: true);

        var explicitDestinations = new HashSet<string>();
        foreach (string bind in host.Binds ?? [])
        {
            var point = FromBind(BindMount.Parse(bind));
            if (!explicitDestinations.Add(point.Destination))
                throw new InvalidParameterException($"Duplicate mount point: {point.Destination}");
            Add(point, null, replace: true);
        }
        foreach (var spec in host.Mounts ?? [])
        {
            var point = FromSpec(spec);
            if (!explicitDestinations.Add(point.Destination))
                throw new InvalidParameterException($"Duplicate mount point: {point.Destination}");
            Add(point, spec, replace: true);
        }
        var tmpfs = new HashSet<string>();
        foreach (var (destination, options) in host.Tmpfs ?? [])
        {
            string clean = CheckDestination(destination, "tmpfs");
            TmpfsOptions.Normalize(clean, options);
            if (byDestination.ContainsKey(clean) || !tmpfs.Add(clean))
                throw new InvalidParameterException($"Duplicate mount point: {clean}");
        }
        foreach (string path in configVolumes ?? [])
        {
            string clean = CheckDestination(path, "volume");
            if (!byDestination.ContainsKey(clean) && !tmpfs.Contains(clean))
                Add(new MountPoint { Type = MountPoint.VolumeType, Destination = clean, Driver = VolumeStore.LocalDriver, Anonymous = true, CopyData = true }, null, replace: false);
        }

        // Checked: now create what is missing.
        foreach (var (point, spec) in planned)
        {
            if (point.Type != MountPoint.VolumeType || point.Source.Length > 0)
                continue;
            var volume = volumes.Create(point.Anonymous ? null : point.Name, spec?.VolumeDriver, spec?.VolumeDriverOptions, spec?.VolumeLabels);
            point.Name = volume.Name;
            point.Source = volume.Mountpoint;
        }
        return planned.Select(p => p.Point).ToList();
    }

    private static MountPoint FromBind(BindMount bind)
    {
        if (!bind.IsVolume)
            return new MountPoint
            {
                Type = MountPoint.Bind, Source = bind.Source, Destination = bind.Destination, Mode = bind.Mode, RW = !bind.ReadOnly,
                Propagation = bind.Propagation.Length > 0 ? bind.Propagation : "rprivate", CreateSource = true,
            };
        VolumeStore.Check(bind.Source, null, null);
        return new MountPoint
        {
            Type = MountPoint.VolumeType, Name = bind.Source, Destination = bind.Destination, Driver = VolumeStore.LocalDriver, Mode = bind.Mode,
            RW = !bind.ReadOnly, Anonymous = bind.Source.Length == 0, CopyData = !bind.NoCopy,
        };
    }

    private static MountPoint FromSpec(MountSpec spec)
    {
        string type = spec.Type;
        string destination = CheckDestination(spec.Target, type);
        switch (type)
        {
            case MountPoint.Bind:
                if (spec.Source.Length == 0)
                    throw Invalid(type, "field Source must not be empty");
                if (!spec.Source.StartsWith('/'))
                    throw Invalid(type, $"invalid mount path: '{spec.Source}' mount path must be absolute");
                if (!Path.Exists(spec.Source))
                    throw Invalid(type, $"bind source path does not exist: {spec.Source}");
                return new MountPoint
                {
                    Type = type, Source = Path.TrimEndingDirectorySeparator(Path.GetFullPath(spec.Source)), Destination = destination, RW = !spec.ReadOnly,
                    Propagation = spec.Propagation.Length > 0 ? spec.Propagation : "rprivate",
                };
            case MountPoint.VolumeType:
                VolumeStore.Check(spec.Source, spec.VolumeDriver, spec.VolumeDriverOptions);
                return new MountPoint
                {
                    Type = type, Name = spec.Source, Destination = destination, Driver = VolumeStore.LocalDriver, RW = !spec.ReadOnly,
                    Anonymous = spec.Source.Length == 0, CopyData = !spec.NoCopy,
                };
            case MountPoint.Tmpfs:
                if (spec.Source.Length > 0)
                    throw Invalid(type, "field Source must not be specified");
                if (spec.TmpfsSizeBytes < 0)
                    throw Invalid(type, $"invalid tmpfs size {spec.TmpfsSizeBytes}");
                return new MountPoint
                {
                    Type = type, Destination = destination, RW = !spec.ReadOnly,
                    TmpfsData = TmpfsOptions.FromSpec(spec.TmpfsSizeBytes, spec.TmpfsMode, spec.ReadOnly),
                };
            default:
                throw Invalid(type, "mount type unknown");
        }
    }

    private static IEnumerable<MountPoint> FromContainer(string from, Func<string, Container> findContainer)
    {
        string[] parts = from.Split(':');
        if (parts.Length > 2 || parts[0].Length == 0)
            throw new InvalidParameterException($"invalid volumes-from specification: '{from}'");
        string mode = parts.Length == 2 ? parts[1] : "";
        if (mode is not ("" or "ro" or "rw" or "z" or "Z" or "ro,z" or "rw,z" or "ro,Z" or "rw,Z"))
            throw new InvalidParameterException($"invalid mode: {mode}");
        var source = findContainer(parts[0]);
        bool? rw = mode.StartsWith("ro", StringComparison.Ordinal) ? false : mode.StartsWith("rw", StringComparison.Ordinal) ? true : null;
        return source.Record.Mounts.Select(m => new MountPoint
        {
            Type = m.Type, Name = m.Name, Source = m.Source, Destination = m.Destination, Driver = m.Driver, Mode = m.Mode,
            RW = m.RW && rw != false, Propagation = m.Propagation, TmpfsData = m.TmpfsData,
        });
    }

    private static string CheckDestination(string destination, string type)
    {
        if (destination.Length == 0)
            throw Invalid(type, "field Target must not be empty");
        if (!destination.StartsWith('/'))
            throw Invalid(type, $"invalid mount path: '{destination}' mount path must be absolute");
        string clean = Clean(destination);
        if (clean == "/")
            throw Invalid(type, "invalid specification: destination can't be '/'");
        return clean;
    }

    private static string Clean(string path) => path.StartsWith('/') ? Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)) : path;

    private static InvalidParameterException Invalid(string type, string message) => new($"invalid mount config for type \"{type}\": {message}");

    /// <summary>
    /// Copy-up at create: every volume mount that copies, whose volume is empty, gets the files the image has at its
    /// destination. <paramref name="rootfs"/> is the container's mounted root, searched with RESOLVE_IN_ROOT.
    /// </summary>
    public void CopyUp(Container container, string rootfs)
    {
        using var root = Sys.OpenDirectoryPath(rootfs);
        foreach (var mount in container.Record.Mounts.Where(m => m.Type == MountPoint.VolumeType && m.CopyData))
        {
            var volume = volumes.Get(mount.Name);
            if (LocalVolumeOptions.NeedsMount(volume.Options))
                continue; // its device is mounted only while a container runs; Berth copies into plain volumes only
            if (!Sys.TryOpenAt2(root, mount.Destination, O_RDONLY | O_DIRECTORY, Sys.ResolveInRoot, out var source, out int errno))
            {
                if (errno is not (Errno.ENOENT or Errno.ENOTDIR))
                    throw new SyscallException($"open `{mount.Destination}` in the image", errno);
                continue;
            }
            using (source)
                if (VolumeCopier.CopyIfEmpty(source, volume.Mountpoint))
                    logger.LogDebug("Copied {Destination} of the image into volume {Volume}", mount.Destination, volume.Name[..Math.Min(12, volume.Name.Length)]);
        }
    }

    /// <summary>Whether create must mount the rootfs for <see cref="CopyUp"/>.</summary>
    public static bool NeedsCopyUp(ContainerRecord record) => record.Mounts.Any(m => m.Type == MountPoint.VolumeType && m.CopyData);

    /// <summary>
    /// The mounts of a start, parents before children (moby sorts by the number of path components): volumes with
    /// options are mounted on the host first, missing `-v` bind sources created, and a volume "mount" event sent each.
    /// </summary>
    public List<InitMount> Acquire(Container container)
    {
        var record = container.Record;
        var acquired = new List<string>();
        var result = new List<InitMount>();
        // A container created before mounts were resolved at create has only its Binds (host paths then).
        var mounts = record.Mounts.Count == 0 && record.HostConfig.Binds is { Count: > 0 } binds
            ? binds.Select(b => FromBind(BindMount.Parse(b))).ToList()
            : record.Mounts;
        try
        {
            foreach (var mount in mounts)
            {
                switch (mount.Type)
                {
                    case MountPoint.Bind:
                        if (mount.CreateSource && !Path.Exists(mount.Source))
                            Directory.CreateDirectory(mount.Source);
                        result.Add(new InitMount { Source = mount.Source, Destination = mount.Destination, ReadOnly = !mount.RW, Propagation = mount.Propagation == "rprivate" ? "" : mount.Propagation });
                        break;
                    case MountPoint.VolumeType:
                        volumes.Acquire(mount.Name, container.Id);
                        acquired.Add(mount.Name);
                        result.Add(new InitMount { Source = volumes.Get(mount.Name).Mountpoint, Destination = mount.Destination, ReadOnly = !mount.RW });
                        break;
                    case MountPoint.Tmpfs:
                        result.Add(Tmpfs(mount.Destination, mount.TmpfsData));
                        break;
                }
            }
        }
        catch
        {
            foreach (string name in acquired)
                volumes.Release(name, container.Id);
            throw;
        }
        foreach (var (destination, options) in record.HostConfig.Tmpfs ?? [])
            result.Add(Tmpfs(Clean(destination), TmpfsOptions.Normalize(destination, options)));
        foreach (var mount in record.Mounts.Where(m => m.Type == MountPoint.VolumeType))
            events.Publish("volume", "mount", mount.Name, new Dictionary<string, string>
            {
                ["container"] = container.Id, ["destination"] = mount.Destination, ["driver"] = mount.Driver,
                ["propagation"] = mount.Propagation, ["read/write"] = mount.RW ? "true" : "false",
            });
        return [.. result.OrderBy(m => m.Destination.Split('/', StringSplitOptions.RemoveEmptyEntries).Length)];
    }

    private static InitMount Tmpfs(string destination, string words)
    {
        var (flags, data) = TmpfsOptions.ToMount(words);
        return new InitMount { Type = InitMount.TmpfsType, Destination = destination, Flags = flags, Data = data, ReadOnly = (flags & Libc.MS_RDONLY) != 0 };
    }

    /// <summary>The run ended: volumes mounted for it are released (the last user unmounts), with an "unmount" event each.</summary>
    public void Release(Container container)
    {
        foreach (var mount in container.Record.Mounts.Where(m => m.Type == MountPoint.VolumeType))
        {
            volumes.Release(mount.Name, container.Id);
            events.Publish("volume", "unmount", mount.Name, new Dictionary<string, string> { ["container"] = container.Id, ["driver"] = mount.Driver });
        }
    }

    /// <summary>`rm -v`, `run --rm`: the container's anonymous volumes go with it, never named ones; one still used elsewhere stays.</summary>
    public void RemoveAnonymous(Container container)
    {
        foreach (var mount in container.Record.Mounts.Where(m => m.Type == MountPoint.VolumeType && m.Anonymous))
        {
            try
            {
                volumes.Remove(mount.Name);
            }
            catch (Exception e) when (e is VolumeInUseException or VolumeNotFoundException or IOException)
            {
                logger.LogWarning("Keeping volume {Volume} of {Container}: {Error}", mount.Name, container.Id[..12], e.Message);
            }
        }
    }
}
