using Berth.Api;

namespace Berth.Cli.Output;

/// <summary>
/// One container as <c>docker ps</c> shows it (docker/cli formatter ContainerContext): the table columns and
/// the fields of <c>--format json</c>. Truncation cuts ids to 12 characters and the command to 20.
/// </summary>
internal sealed class ContainerRow
{
    private readonly ContainerSummary _container;
    private readonly bool _truncate;
    private readonly DateTimeOffset _now;

    public ContainerRow(ContainerSummary container, bool truncate, DateTimeOffset now)
    {
        _container = container;
        _truncate = truncate;
        _now = now;
    }

    public string Id => _truncate ? ShortId.Of(_container.Id) : _container.Id;

    public string Names
    {
        get
        {
            var names = _container.Names.Select(n => n.Length > 0 ? n[1..] : n).ToList();
            if (_truncate && names.FirstOrDefault(n => !n.Contains('/')) is { } plain)
                return plain;
            return string.Join(",", names);
        }
    }

    public string Image
    {
        get
        {
            string image = _container.Image;
            if (image.Length == 0)
                return "<no image>";
            if (!_truncate)
                return image;
            if (ShortId.Of(_container.ImageID) == ShortId.Of(image))
                return ShortId.Of(image);
            if (Options.ImageReference.TryParse(image, out var reference, out _))
                return reference.Tag is null ? reference.FamiliarName : reference.FamiliarName + ":" + reference.Tag;
            return image;
        }
    }

    /// <summary>Quoted as Go's strconv.Quote does.</summary>
    public string Command => GoQuote.Quote(_truncate ? TextEllipsis.Truncate(_container.Command, 20) : _container.Command);

    public string CreatedAt => GoTime.UnixString(_container.Created);

    public string RunningFor => HumanUnits.Ago(_container.Created, _now);

    public string Ports => PortList.Format(_container.Ports);

    public string State => _container.State;

    public string Status => _container.Status;

    public string Size
    {
        get
        {
            string rw = HumanUnits.Size(_container.SizeRw ?? 0, 3);
            long rootFs = _container.SizeRootFs ?? 0;
            return rootFs > 0 ? $"{rw} (virtual {HumanUnits.Size(rootFs, 3)})" : rw;
        }
    }

    public string Labels => string.Join(",", _container.Labels.Select(l => l.Key + "=" + l.Value).Order(StringComparer.Ordinal));

    public string Mounts => string.Join(",", _container.Mounts.Select(m =>
    {
        string name = m.Name.Length == 0 ? m.Source : m.Name;
        return _truncate ? TextEllipsis.Truncate(name, 15) : name;
    }));

    public string LocalVolumes => _container.Mounts.Count(m => m.Driver == "local").ToString();

    public string Networks => string.Join(",", _container.NetworkSettings.Networks.Keys.Order(StringComparer.Ordinal));

    /// <summary>The <c>--format json</c> line: every field, keys sorted, as docker's MarshalJSON writes it.</summary>
    public string ToJson() => GoJson.Object(new Dictionary<string, string?>
    {
        ["Command"] = Command,
        ["CreatedAt"] = CreatedAt,
        ["ID"] = Id,
        ["Image"] = Image,
        ["Labels"] = Labels,
        ["LocalVolumes"] = LocalVolumes,
        ["Mounts"] = Mounts,
        ["Names"] = Names,
        ["Networks"] = Networks,
        ["Platform"] = null,
        ["Ports"] = Ports,
        ["RunningFor"] = RunningFor,
        ["Size"] = Size,
        ["State"] = State,
        ["Status"] = Status,
    });
}
