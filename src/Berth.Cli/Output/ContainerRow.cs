using Berth.Api;
using Berth.Cli.Options;
using Berth.Cli.Templates;

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
            if (CliReference.TryParse(image, out var reference, out _))
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

    /// <summary>Whether a template read <see cref="Size"/>: docker then asks the daemon for sizes (#24696).</summary>
    public bool SizeUsed { get; private set; }

    public string Size
    {
        get
        {
            SizeUsed = true;
            string rw = HumanUnits.Size(_container.SizeRw ?? 0, 3);
            long rootFs = _container.SizeRootFs ?? 0;
            return rootFs > 0 ? $"{rw} (virtual {HumanUnits.Size(rootFs, 3)})" : rw;
        }
    }

    public string Labels => string.Join(",", _container.Labels.Select(l => l.Key + "=" + l.Value).Order(StringComparer.Ordinal));

    public string Label(string name) => _container.Labels.GetValueOrDefault(name, "");

    /// <summary>The health in the status ("Up 1 minute (healthy)"), as docker's HealthStatus reads it.</summary>
    public string HealthStatus
    {
        get
        {
            int open = Status.IndexOf('(');
            if (open < 0 || !Status.EndsWith(')'))
                return "";
            string health = Status[(open + 1)..^1];
            if (health.StartsWith("health: ", StringComparison.Ordinal))
                health = health["health: ".Length..];
            return health is "healthy" or "unhealthy" or "starting" ? health : "";
        }
    }

    public string Mounts => string.Join(",", _container.Mounts.Select(m =>
    {
        string name = m.Name.Length == 0 ? m.Source : m.Name;
        return _truncate ? TextEllipsis.Truncate(name, 15) : name;
    }));

    public string LocalVolumes => _container.Mounts.Count(m => m.Driver == "local").ToString();

    public string Networks => string.Join(",", _container.NetworkSettings.Networks.Keys.Order(StringComparer.Ordinal));

    /// <summary>docker's ContainerContext placeholders and their column headers.</summary>
    public static readonly Placeholders<ContainerRow> Placeholders = new Placeholders<ContainerRow>("*formatter.ContainerContext", r => r.ToJson())
        .Add("ID", "CONTAINER ID", r => r.Id)
        .Add("Names", "NAMES", r => r.Names)
        .Add("Image", "IMAGE", r => r.Image)
        .Add("Command", "COMMAND", r => r.Command)
        .Add("CreatedAt", "CREATED AT", r => r.CreatedAt)
        .Add("RunningFor", "CREATED", r => r.RunningFor)
        .Add("Ports", "PORTS", r => r.Ports)
        .Add("State", "STATE", r => r.State)
        .Add("Status", "STATUS", r => r.Status)
        .Add("Size", "SIZE", r => r.Size)
        .Add("Labels", "LABELS", r => r.Labels)
        .AddMethod("Label", 1, (r, a) => r.Label(a[0] as string ?? throw new TemplateArgumentException(
            $"wrong type for value; expected string; got {TemplateValues.TypeName(a[0])}")), Placeholders<ContainerRow>.LabelHeader)
        .Add("Mounts", "MOUNTS", r => r.Mounts)
        .Add("LocalVolumes", "LOCAL VOLUMES", r => r.LocalVolumes)
        .Add("Networks", "NETWORKS", r => r.Networks)
        .Add("Platform", "PLATFORM", _ => null)
        .Add("HealthStatus", "HEALTH STATUS", r => r.HealthStatus);

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
