using System.Globalization;
using System.Text;
using Berth.Cli.Api.Wire;

namespace Berth.Cli.Output;

/// <summary>
/// How <c>docker events</c> prints an event: the pretty line of cli/command/system/events.go
/// ("2025-01-02T03:04:05.123456789Z container create &lt;id&gt; (image=busybox, name=web)", the time in the local zone
/// with nine fraction digits, attributes sorted by key), or with <c>--format json</c> the message as Go's
/// json.Marshal writes an events.Message.
/// </summary>
internal static class EventLine
{
    public static string Pretty(EventMessage message, TimeZoneInfo? zone = null)
    {
        var line = new StringBuilder();
        if (message.TimeNano != 0)
            line.Append(Rfc3339NanoFixed(message.TimeNano, zone ?? TimeZoneInfo.Local)).Append(' ');
        else if (message.Time != 0)
            line.Append(Rfc3339NanoFixed(message.Time * 1_000_000_000, zone ?? TimeZoneInfo.Local)).Append(' ');
        line.Append(message.Type).Append(' ').Append(message.Action).Append(' ').Append(message.Actor.ID);
        if (message.Actor.Attributes is { Count: > 0 } attributes)
            line.Append(" (").AppendJoin(", ", attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + "=" + a.Value)).Append(')');
        return line.ToString();
    }

    /// <summary>Go's "2006-01-02T15:04:05.000000000Z07:00" of a unix time in nanoseconds, in <paramref name="zone"/>.</summary>
    public static string Rfc3339NanoFixed(long unixNanoseconds, TimeZoneInfo zone)
    {
        long seconds = Math.DivRem(unixNanoseconds, 1_000_000_000, out long nanoseconds);
        if (nanoseconds < 0)
        {
            seconds--;
            nanoseconds += 1_000_000_000;
        }
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(seconds), zone);
        var offset = local.Offset;
        string zoneText = offset == TimeSpan.Zero
            ? "Z"
            : (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hh':'mm", CultureInfo.InvariantCulture);
        return local.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture) + "."
               + nanoseconds.ToString("D9", CultureInfo.InvariantCulture) + zoneText;
    }

    /// <summary>
    /// docker's template function "json" of moby's events.Message: status, id and from when set, then Type, Action,
    /// Actor, scope, time, timeNano; &lt; &gt; &amp; are not escaped (SetEscapeHTML(false)).
    /// </summary>
    public static string Json(EventMessage message)
    {
        var text = new StringBuilder("{");
        if (!string.IsNullOrEmpty(message.Status))
            GoJson.AppendString(text.Append("\"status\":"), message.Status, escapeHtml: false).Append(',');
        if (!string.IsNullOrEmpty(message.Id))
            GoJson.AppendString(text.Append("\"id\":"), message.Id, escapeHtml: false).Append(',');
        if (!string.IsNullOrEmpty(message.From))
            GoJson.AppendString(text.Append("\"from\":"), message.From, escapeHtml: false).Append(',');
        GoJson.AppendString(text.Append("\"Type\":"), message.Type, escapeHtml: false);
        GoJson.AppendString(text.Append(",\"Action\":"), message.Action, escapeHtml: false);
        GoJson.AppendString(text.Append(",\"Actor\":{\"ID\":"), message.Actor.ID, escapeHtml: false);
        text.Append(",\"Attributes\":");
        if (message.Actor.Attributes is null)
        {
            text.Append("null");
        }
        else
        {
            text.Append('{');
            bool first = true;
            foreach (var (key, value) in message.Actor.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                if (!first)
                    text.Append(',');
                first = false;
                GoJson.AppendString(text, key, escapeHtml: false).Append(':');
                GoJson.AppendString(text, value, escapeHtml: false);
            }
            text.Append('}');
        }
        GoJson.AppendString(text.Append("},\"scope\":"), message.Scope ?? "", escapeHtml: false);
        text.Append(",\"time\":").Append(message.Time.ToString(CultureInfo.InvariantCulture));
        text.Append(",\"timeNano\":").Append(message.TimeNano.ToString(CultureInfo.InvariantCulture)).Append('}');
        return text.ToString();
    }
}
