namespace Berth.Engine.Containers;

/// <summary>
/// The containers the engine knows, by id and by name: Docker's lookup (full id, then name, then unique id prefix),
/// name reservation at create and rename. Thread-safe; the lock is held only for dictionary work.
/// </summary>
internal sealed class ContainerIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Container> _byId = [];
    private readonly Dictionary<string, Container> _byName = [];

    public IReadOnlyList<Container> List()
    {
        lock (_gate)
            return _byId.Values.OrderByDescending(c => c.Record.Created).ToList();
    }

    public bool Contains(string id)
    {
        lock (_gate)
            return _byId.ContainsKey(id);
    }

    public Container? Find(string id)
    {
        lock (_gate)
            return _byId.GetValueOrDefault(id);
    }

    /// <summary>Finds a container as Docker does: full id, then name, then unique id prefix.</summary>
    public Container Get(string idOrName)
    {
        lock (_gate)
        {
            if (_byId.TryGetValue(idOrName, out var byId))
                return byId;
            if (_byName.TryGetValue(idOrName.TrimStart('/'), out var byName))
                return byName;
            if (idOrName.Length > 0 && idOrName.All(char.IsAsciiHexDigitLower))
            {
                var matches = _byId.Values.Where(c => c.Id.StartsWith(idOrName, StringComparison.Ordinal)).Take(2).ToList();
                if (matches.Count == 1)
                    return matches[0];
                if (matches.Count > 1)
                    throw new InvalidParameterException($"multiple IDs found with provided prefix: {idOrName}");
            }
        }
        throw new ContainerNotFoundException(idOrName);
    }

    public bool Any(Func<Container, bool> predicate)
    {
        lock (_gate)
            return _byId.Values.Any(predicate);
    }

    /// <summary>Adds a loaded container (recovery).</summary>
    public void Add(Container container)
    {
        lock (_gate)
        {
            _byId[container.Id] = container;
            _byName[container.Name] = container;
        }
    }

    /// <summary>
    /// Names the record (<paramref name="name"/>, or a generated one when null) and adds the container
    /// <paramref name="create"/> makes of it; throws a conflict when the name is taken.
    /// </summary>
    public Container Reserve(string? name, ContainerRecord record, Func<ContainerRecord, Container> create)
    {
        lock (_gate)
        {
            record.Name = name is null ? ContainerNames.Generate(_byName.ContainsKey) : ContainerNames.Normalize(name);
            if (_byName.TryGetValue(record.Name, out var existing))
                throw NameInUse(record.Name, existing);
            var container = create(record);
            _byId[container.Id] = container;
            _byName[record.Name] = container;
            return container;
        }
    }

    /// <summary>Renames; returns the old name.</summary>
    public string Rename(Container container, string newName)
    {
        string name = ContainerNames.Normalize(newName);
        lock (_gate)
        {
            string oldName = container.Record.Name;
            if (name == oldName)
                throw new InvalidParameterException("Renaming a container with the same name as its current name");
            if (_byName.TryGetValue(name, out var existing))
                throw NameInUse(name, existing);
            container.Record.Name = name;
            _byName.Remove(oldName);
            _byName[name] = container;
            return oldName;
        }
    }

    public void Forget(Container container)
    {
        lock (_gate)
        {
            _byId.Remove(container.Id);
            if (_byName.TryGetValue(container.Name, out var named) && named == container)
                _byName.Remove(container.Name);
        }
    }

    private static ContainerConflictException NameInUse(string name, Container existing) =>
        new($"Conflict. The container name \"/{name}\" is already in use by container \"{existing.Id}\". You have to remove (or rename) that container to be able to reuse that name.");
}
