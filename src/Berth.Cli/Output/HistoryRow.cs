using System.Globalization;
using Berth.Api;
using Berth.Cli.Templates;

namespace Berth.Cli.Output;

/// <summary>
/// One step of <c>docker history</c> (docker/cli formatter historyContext): ids cut to 12 characters and CREATED BY
/// to 45 unless --no-trunc; with --human=false the time is RFC 3339 in UTC and the size a plain byte count.
/// </summary>
internal sealed class HistoryRow
{
    private readonly ImageHistoryResponseItem _item;
    private readonly bool _truncate;
    private readonly bool _human;
    private readonly DateTimeOffset _now;

    public HistoryRow(ImageHistoryResponseItem item, bool truncate, bool human, DateTimeOffset now)
    {
        _item = item;
        _truncate = truncate;
        _human = human;
        _now = now;
    }

    public string Id => _truncate ? ShortId.Of(_item.Id) : _item.Id;

    public string CreatedAt => DateTimeOffset.FromUnixTimeSeconds(_item.Created).ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);

    public string CreatedSince => _human ? HumanUnits.Ago(_item.Created, _now) : CreatedAt;

    public string CreatedBy
    {
        get
        {
            string createdBy = _item.CreatedBy.Replace('\t', ' ');
            return _truncate ? TextEllipsis.Truncate(createdBy, 45) : createdBy;
        }
    }

    public string Size => _human ? HumanUnits.Size(_item.Size, 3) : _item.Size.ToString(CultureInfo.InvariantCulture);

    public static readonly Placeholders<HistoryRow> Placeholders = new Placeholders<HistoryRow>("*formatter.historyContext", r => r.ToJson())
        .Add("ID", "IMAGE", r => r.Id)
        .Add("CreatedSince", "CREATED", r => r.CreatedSince)
        .Add("CreatedAt", "CREATED AT", r => r.CreatedAt)
        .Add("CreatedBy", "CREATED BY", r => r.CreatedBy)
        .Add("Size", "SIZE", r => r.Size)
        .Add("Comment", "COMMENT", r => r._item.Comment);

    public string ToJson() => GoJson.Object(new Dictionary<string, string?>
    {
        ["Comment"] = _item.Comment,
        ["CreatedAt"] = CreatedAt,
        ["CreatedBy"] = CreatedBy,
        ["CreatedSince"] = CreatedSince,
        ["ID"] = Id,
        ["Size"] = Size,
    });

    /// <summary>docker's NewHistoryFormat (an empty --format is "table").</summary>
    public static string Resolve(string format, bool quiet, bool human) => format is "" or "table"
        ? (quiet ? "{{.ID}}"
            : human ? @"table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}"
            : @"table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}")
        : format;
}
