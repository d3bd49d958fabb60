using System.Globalization;
using Berth.Http;

namespace Berth.Daemon.Api;

/// <summary>Query parameters that must parse, or the request is a 400.</summary>
public static class QueryValues
{
    public static int? Int(HttpRequest request, string name)
    {
        string? text = request.Query[name];
        if (string.IsNullOrEmpty(text))
            return null;
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new ApiException(400, $"invalid value for {name}: {text}");
    }

    /// <summary>Go's strconv.ParseBool plus Docker's leniency: absent or empty is false.</summary>
    public static bool Bool(HttpRequest request, string name) => request.Query.GetBool(name);

    /// <summary>
    /// A time given as Unix seconds with an optional fraction (<c>1700000000.123456789</c>), as the CLI sends
    /// since and until; RFC3339 is accepted too. Null when absent or 0.
    /// </summary>
    public static DateTime? Time(HttpRequest request, string name)
    {
        string? text = request.Query[name];
        if (string.IsNullOrEmpty(text) || text == "0")
            return null;
        string[] parts = text.Split('.', 2);
        if (long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long seconds))
        {
            long ticks = 0;
            if (parts.Length == 2)
            {
                string fraction = (parts[1] + "0000000")[..7];
                if (!long.TryParse(fraction, NumberStyles.None, CultureInfo.InvariantCulture, out ticks))
                    throw new ApiException(400, $"invalid value for {name}: {text}");
            }
            return DateTime.UnixEpoch.AddSeconds(seconds).AddTicks(ticks);
        }
        if (Berth.Api.ApiTimestamp.TryParse(text, out var time))
            return time;
        throw new ApiException(400, $"invalid value for {name}: {text}");
    }
}
